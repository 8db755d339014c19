package io.sessionkit.core.internal;

import io.sessionkit.core.Timeouts;
import io.sessionkit.core.TtlPolicy;
import java.time.Instant;

/**
 * Touch coalescing; forwards to {@link TtlPolicy#isTouchDue}, for code not yet moved to it. An access that counts as activity writes
 * {@code lastAccessedAt} only when the stored value is at least
 * {@link TtlPolicy#effectiveTouchInterval(Timeouts)} old.
 */
public final class Touches {
  private Touches() {}

  /**
   * Whether an access at {@code now} must write {@code lastAccessedAt}.
   *
   * @param policy the store's TTL policy
   * @param sessionTimeouts the session's timeouts (the policy's or its override)
   * @param lastAccessedAt the stored last access time
   * @param now the current time
   * @return {@code true} if {@code now - lastAccessedAt >= effectiveTouchInterval}
   */
  public static boolean isDue(TtlPolicy policy, Timeouts sessionTimeouts, Instant lastAccessedAt, Instant now) {
    return policy.isTouchDue(sessionTimeouts, lastAccessedAt, now);
  }
}
