package io.sessionkit.servlet.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Logs a store outage as an operator wants to read it: one {@code WARN} when the first request is
 * refused, one {@code INFO} when a request reaches the store again, with the number of requests
 * refused in between and how long it lasted. No stack trace and no line per request: an outage
 * under load would otherwise write thousands of identical traces.
 *
 * <p>Thread-safe and lock-free; {@link #reached()} costs one volatile read when nothing is wrong.
 */
public final class OutageLog {
  private final Logger log;
  private final String what;
  private final Clock clock;
  private final AtomicReference<@Nullable Instant> since = new AtomicReference<>();
  private final AtomicLong refused = new AtomicLong();

  /**
   * @param log the logger to write to
   * @param what what is down, e.g. {@code "session store"}
   * @param clock the clock for the outage's length
   */
  public OutageLog(Logger log, String what, Clock clock) {
    this.log = log;
    this.what = what;
    this.clock = clock;
  }

  /**
   * A request was refused because the store could not be reached.
   *
   * @param cause the failure; only its message is logged, once per outage
   */
  public void refused(Throwable cause) {
    refused.incrementAndGet();
    if (since.get() == null && since.compareAndSet(null, clock.instant())) {
      log.warn("{} unavailable, answering 503 until it is back: {}", what, cause.getMessage());
    }
  }

  /** A request reached the store: ends the outage, if there was one. */
  public void reached() {
    if (since.get() == null) {
      return;
    }
    Instant start = since.getAndSet(null);
    if (start != null) {
      long n = refused.getAndSet(0);
      log.info(
          "{} reachable again after {} refused request(s) over {} ms",
          what,
          n,
          Duration.between(start, clock.instant()).toMillis());
    }
  }
}
