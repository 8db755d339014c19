package io.sessionkit.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sessionkit.core.SessionCounting;
import io.sessionkit.core.SessionCounts;
import io.sessionkit.core.SessionException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two gauges from a {@link SessionCounting} store: {@value #LIVE_SESSIONS} and {@value
 * #SIGNED_IN_USERS}, the same figures on every server sharing the store (read from Redis, or
 * counted in memory).
 *
 * <p>Reading the counts is a backend call (for Redis, one pipelined batch of small reads, see
 * {@code RedisSessionStore#countSessions()}), so one reading serves every gauge read within {@link
 * #refreshEvery(Duration)} (default {@value #DEFAULT_REFRESH_SECONDS} s): a registry scraped often,
 * or by several systems, costs at most one reading per interval. While the backend cannot be read
 * the gauges report NaN, which monitoring systems show as a gap, never a stale figure.
 *
 * <pre>{@code
 * SessionCountMetrics.of(redisStore).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Immutable; the bound gauges are thread-safe.
 */
public final class SessionCountMetrics implements MeterBinder {
  /** Live sessions, anonymous ones included: {@value}. */
  public static final String LIVE_SESSIONS = "sessionkit.sessions.live";

  /** Distinct users with at least one live session: {@value}. */
  public static final String SIGNED_IN_USERS = "sessionkit.users.signed.in";

  /** The default interval between two readings, in seconds: {@value}. */
  public static final long DEFAULT_REFRESH_SECONDS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(SessionCountMetrics.class);

  private final SessionCounting source;
  private final Duration refresh;
  private final Tags tags;

  private SessionCountMetrics(SessionCounting source, Duration refresh, Tags tags) {
    this.source = source;
    this.refresh = refresh;
    this.tags = tags;
  }

  /**
   * Gauges over a store's counts.
   *
   * @param source the store (an in-memory or Redis store, not a decorator)
   * @return the binder
   */
  public static SessionCountMetrics of(SessionCounting source) {
    return new SessionCountMetrics(
        Objects.requireNonNull(source, "source"),
        Duration.ofSeconds(DEFAULT_REFRESH_SECONDS),
        Tags.empty());
  }

  /**
   * How long one reading serves the gauges.
   *
   * @param refresh zero to read on every gauge read, else a positive duration
   * @return a new binder
   * @throws IllegalArgumentException if negative
   */
  public SessionCountMetrics refreshEvery(Duration refresh) {
    Objects.requireNonNull(refresh, "refresh");
    if (refresh.isNegative()) {
      throw new IllegalArgumentException("refresh must not be negative, was " + refresh);
    }
    return new SessionCountMetrics(source, refresh, tags);
  }

  /**
   * Adds tags to both gauges.
   *
   * @param extra the tags
   * @return a new binder
   */
  public SessionCountMetrics tags(Iterable<Tag> extra) {
    return new SessionCountMetrics(source, refresh, tags.and(extra));
  }

  /**
   * @return how long one reading serves the gauges
   */
  public Duration refresh() {
    return refresh;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Reading reading = new Reading(source, refresh.toNanos());
    Gauge.builder(LIVE_SESSIONS, reading, r -> r.get(true))
        .description("Live sessions across every server sharing the store")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder(SIGNED_IN_USERS, reading, r -> r.get(false))
        .description(
            "Distinct users with at least one live session, across every server sharing the store")
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  @Override
  public String toString() {
    return "SessionCountMetrics{refresh=" + refresh + '}';
  }

  /** The last reading and when it was taken; one reader at a time refreshes it. */
  private static final class Reading {
    private final SessionCounting source;
    private final long refreshNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable SessionCounts last;
    private long takenAt;
    private boolean failed;

    Reading(SessionCounting source, long refreshNanos) {
      this.source = source;
      this.refreshNanos = refreshNanos;
    }

    double get(boolean sessions) {
      lock.lock();
      try {
        long now = System.nanoTime();
        if ((last == null && !failed) || now - takenAt >= refreshNanos) {
          takenAt = now;
          try {
            last = source.countSessions();
            failed = false;
          } catch (SessionException e) {
            LOG.debug("could not read the session counts: {}", e.getMessage());
            last = null;
            failed = true;
          }
        }
        SessionCounts c = last;
        if (c == null) {
          return Double.NaN;
        }
        return sessions ? c.liveSessions() : c.signedInUsers();
      } finally {
        lock.unlock();
      }
    }
  }
}
