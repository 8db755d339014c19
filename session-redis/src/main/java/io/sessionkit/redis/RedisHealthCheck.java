package io.sessionkit.redis;

import io.sessionkit.core.SessionException;
import io.sessionkit.redis.HealthReport.Status;
import io.sessionkit.redis.internal.RedisIo;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A health check of SessionKit's Redis, usable without any framework (Spring Boot's {@code
 * HealthIndicator} wraps it). Each {@link #check()} asks Redis, within the timeout:
 *
 * <ol>
 *   <li><b>redis</b>: a {@code PING} answers within {@link Builder#timeout(Duration)} (default the
 *       connector's command timeout); if not, {@link Status#DOWN} and nothing else is asked;
 *   <li><b>evictionPolicy</b>: {@code INFO memory} says {@code maxmemory_policy:noeviction}; any
 *       other policy may drop a revocation mark, a watermark or a tombstone, so {@link
 *       Status#DOWN};
 *   <li><b>replicas</b>: with {@link RedisOptions.Durability#REPLICATED} and {@link
 *       RedisOptions#minReplicas()} above zero, {@code INFO replication} counts at least that many
 *       connected replicas, else {@link Status#DOWN} (logouts and revocations would fail);
 *   <li><b>nearCache</b>, if one is given: its invalidation subscription is up, else {@link
 *       Status#DEGRADED} (it serves nothing from memory until it is back).
 * </ol>
 *
 * <p>Costs two or three commands ({@code PING}, {@code INFO memory}, and {@code INFO replication}
 * when replicas are required), none on a request path. Never throws: a failure is a {@link
 * Status#DOWN} report naming what failed. On Cluster the {@code INFO} answers come from one node.
 *
 * <pre>{@code
 * RedisHealthCheck health = RedisHealthCheck.builder(connector).nearCache(near).build();
 * HealthReport report = health.check();   // report.status(), report.details()
 * }</pre>
 *
 * <p>Immutable; thread-safe.
 */
public final class RedisHealthCheck {
  /** The only {@code maxmemory-policy} that can never drop a key: {@value}. */
  public static final String SAFE_EVICTION_POLICY = "noeviction";

  private final RedisConnector connector;
  private final @Nullable NearCache nearCache;
  private final Duration timeout;
  private final Clock clock;

  private RedisHealthCheck(Builder b) {
    this.connector = b.connector;
    this.nearCache = b.nearCache;
    this.timeout = b.timeout != null ? b.timeout : b.connector.options().commandTimeout();
    this.clock = b.clock;
  }

  /**
   * A builder.
   *
   * @param connector the connector to check, the one the stores use
   * @return the builder
   */
  public static Builder builder(RedisConnector connector) {
    return new Builder(connector);
  }

  /**
   * @return how long each command of the check may take
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Runs the checks.
   *
   * @return the report; never null, never thrown
   */
  public HealthReport check() {
    Map<String, String> details = new LinkedHashMap<>();
    if (!connector.isOpen()) {
      details.put("redis", "connector closed");
      return new HealthReport(Status.DOWN, details, clock.instant());
    }
    RedisIo io = connector.io();
    Status status = Status.UP;
    try {
      io.ping(timeout);
      details.put("redis", "reachable");
    } catch (SessionException e) {
      details.put("redis", "unreachable within " + timeout + ": " + e.getMessage());
      nearCacheDetail(details);
      return new HealthReport(Status.DOWN, details, clock.instant());
    }
    try {
      String policy = io.info("memory", timeout).getOrDefault("maxmemory_policy", "unknown");
      boolean safe = SAFE_EVICTION_POLICY.equals(policy);
      details.put(
          "evictionPolicy", policy + (safe ? " (safe)" : " (unsafe: Redis may evict revocations)"));
      if (!safe) {
        status = Status.DOWN;
      }
      RedisOptions options = connector.options();
      if (options.durability() == RedisOptions.Durability.REPLICATED && options.minReplicas() > 0) {
        Map<String, String> replication = io.info("replication", timeout);
        int connected = parseInt(replication.get("connected_slaves"));
        details.put("replicas", connected + " connected, " + options.minReplicas() + " required");
        if (connected < options.minReplicas()) {
          status = Status.DOWN;
        }
      } else {
        details.put(
            "replicas",
            "none required (durability "
                + options.durability()
                + ", minReplicas "
                + options.minReplicas()
                + ")");
      }
    } catch (SessionException e) {
      details.put("info", "INFO failed: " + e.getMessage());
      status = Status.DOWN;
    }
    if (!nearCacheDetail(details) && status == Status.UP) {
      status = Status.DEGRADED;
    }
    return new HealthReport(status, details, clock.instant());
  }

  /** Adds the near cache's state; returns false only if one is given and not subscribed. */
  private boolean nearCacheDetail(Map<String, String> details) {
    NearCache near = nearCache;
    if (near == null) {
      return true;
    }
    boolean serving = near.isServing();
    details.put(
        "nearCache", serving ? "subscribed" : "not subscribed (reading Redis on every call)");
    return serving;
  }

  private static int parseInt(@Nullable String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public String toString() {
    return "RedisHealthCheck{"
        + connector
        + ", timeout="
        + timeout
        + (nearCache != null ? ", nearCache" : "")
        + '}';
  }

  /** Builds a {@link RedisHealthCheck}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final RedisConnector connector;
    private @Nullable NearCache nearCache;
    private @Nullable Duration timeout;
    private Clock clock = Clock.systemUTC();

    private Builder(RedisConnector connector) {
      this.connector = Objects.requireNonNull(connector, "connector");
    }

    /**
     * Also checks a near cache's subscription.
     *
     * @param nearCache the near cache on the same connector
     * @return this builder
     */
    public Builder nearCache(NearCache nearCache) {
      this.nearCache = Objects.requireNonNull(nearCache, "nearCache");
      return this;
    }

    /**
     * How long each command of the check may take (default the connector's command timeout).
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The clock of {@link HealthReport#checkedAt()} (default the system UTC clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the check
     */
    public RedisHealthCheck build() {
      return new RedisHealthCheck(this);
    }
  }
}
