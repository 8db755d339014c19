package io.sessionkit.core.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A Caffeine {@link Ticker} that reads an injected {@link Clock}, so that cache expiry follows the
 * same time as the rest of the store (tests move a mutable clock instead of sleeping). Reads are
 * nanoseconds since the epoch, saturated to the range of a {@code long}.
 */
public final class ClockTicker implements Ticker {
  private final Clock clock;

  /**
   * @param clock the clock to read
   */
  public ClockTicker(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long read() {
    return nanosSinceEpoch(clock.instant());
  }

  /**
   * An instant as nanoseconds since the epoch, saturated.
   *
   * @param t the instant
   * @return nanoseconds, clamped to {@code [Long.MIN_VALUE, Long.MAX_VALUE]}
   */
  public static long nanosSinceEpoch(Instant t) {
    return saturatedNanos(Duration.ofSeconds(t.getEpochSecond(), t.getNano()));
  }

  /**
   * The time from one instant to another in nanoseconds, saturated and never negative: what a
   * Caffeine {@code Expiry} returns for "expire at {@code until}".
   *
   * @param now the current time
   * @param until the expiry time
   * @return nanoseconds from {@code now} to {@code until}, 0 if it is past, at most a century
   */
  public static long nanosUntil(Instant now, Instant until) {
    if (!until.isAfter(now)) {
      return 0;
    }
    Duration d = Duration.between(now, until);
    // Caffeine caps expiry at about 150 years; staying well below avoids overflow in its
    // arithmetic.
    long cap = Duration.ofDays(36_500).toNanos();
    long n = saturatedNanos(d);
    return Math.min(n, cap);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
