package io.sessionkit.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a listener learns about a session: its non-secret handle, its user if any, and when. Never
 * carries the session id.
 *
 * @param handle the session's handle
 * @param userId the user, or null for an anonymous session or where the store does not know it
 * @param at when the event happened, by the store's clock
 */
public record SessionEvent(String handle, @Nullable String userId, Instant at) {
  /**
   * Validates.
   *
   * @param handle the session's handle
   * @param userId the user, or null
   * @param at when
   */
  public SessionEvent {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(at, "at");
  }
}
