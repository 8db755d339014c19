package io.sessionkit.core.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * Instant arithmetic shared by the stores and revocation services. Expiry times are computed from
 * configured durations that may be huge (a "never" cap), so addition saturates at {@link
 * Instant#MAX} instead of throwing.
 */
public final class Instants {
  private Instants() {}

  /**
   * {@code t + d}, or {@link Instant#MAX} when the sum is outside the range of {@link Instant}.
   *
   * @param t the instant
   * @param d the duration to add
   * @return the sum, saturated
   */
  public static Instant plus(Instant t, Duration d) {
    try {
      return t.plus(d);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }

  /**
   * @param a one instant
   * @param b another
   * @return the earlier of the two ({@code b} when they are equal)
   */
  public static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /**
   * @param a one instant
   * @param b another
   * @return the later of the two ({@code b} when they are equal)
   */
  public static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
