package io.sessionkit.core;

import java.time.Instant;
import java.util.Objects;

/**
 * How many sessions are live and how many users are signed in, across every server that shares a
 * store, as a {@link SessionCounting} store counted them at one instant. Immutable.
 *
 * @param liveSessions sessions not ended and not expired at {@code at}, anonymous ones included
 * @param signedInUsers distinct users with at least one live session at {@code at}
 * @param at the store's clock when the counts were taken
 */
public record SessionCounts(long liveSessions, long signedInUsers, Instant at) {
  /**
   * Validates.
   *
   * @param liveSessions live sessions, not negative
   * @param signedInUsers signed-in users, not negative
   * @param at when
   * @throws IllegalArgumentException if a count is negative
   */
  public SessionCounts {
    Objects.requireNonNull(at, "at");
    if (liveSessions < 0 || signedInUsers < 0) {
      throw new IllegalArgumentException(
          "counts must not be negative, were "
              + liveSessions
              + " sessions and "
              + signedInUsers
              + " users");
    }
  }
}
