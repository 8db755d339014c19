package io.sessionkit.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Clock} whose instant a test sets and advances, so that expiry can be tested without
 * sleeping. The zone is UTC.
 *
 * <p>Thread-safe: the instant is held in an atomic reference, so a test may advance the clock while
 * other threads read it. {@link #withZone(ZoneId)} returns a view that shares this clock's instant.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.startingAt(Instant.parse("2030-01-01T00:00:00Z"));
 * SessionStore store = InMemorySessionStore.create(SessionConfig.builder().clock(clock).build());
 * clock.advance(Duration.ofMinutes(31));   // the idle timeout has passed
 * }</pre>
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock that starts at the given instant.
   *
   * @param start the initial instant
   * @return a new clock
   */
  public static MutableClock startingAt(Instant start) {
    return new MutableClock(
        new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /**
   * A clock that starts at the current system time, truncated to milliseconds (the precision
   * backends such as Redis keep). Starting near real time keeps a backend's own TTLs, which follow
   * real time, in the future as long as tests only move the clock forward.
   *
   * @return a new clock
   */
  public static MutableClock startingNow() {
    return startingAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * Sets the instant; it may move backwards.
   *
   * @param instant the new instant
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Moves the clock by a duration, atomically.
   *
   * @param duration how far; negative moves the clock backwards
   * @return the new instant
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    return now.updateAndGet(i -> i.plus(duration));
  }

  /**
   * Moves the clock by a number of milliseconds, atomically.
   *
   * @param millis how far; negative moves the clock backwards
   * @return the new instant
   */
  public Instant advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  @Override
  public Instant instant() {
    // Never null (every update sets a non-null instant); NullAway cannot see through
    // AtomicReference.
    return Objects.requireNonNull(now.get(), "now");
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(this.zone) ? this : new MutableClock(now, zone);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    // Two views are equal only if they share the same mutable instant.
    return o instanceof MutableClock c && c.now == now && c.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(now) * 31 + zone.hashCode();
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + ']';
  }
}
