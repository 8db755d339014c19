package io.sessionkit.core;

/**
 * Why a session ended.
 *
 * <p>A session that ended for a reason other than expiry leaves a short-lived tombstone (see {@link
 * SessionConfig#tombstoneTtl()}), so that the next request presenting its id learns why, for
 * example to tell the user "you were signed out because you signed in elsewhere".
 */
public enum EndReason {
  /** The user signed out. */
  LOGOUT,
  /** The idle timeout passed without a request that counts as activity. */
  IDLE_TIMEOUT,
  /** The absolute timeout (maximum lifetime) passed. */
  ABSOLUTE_TIMEOUT,
  /** An administrator or the application ended this one session. */
  REVOKED,
  /** A newer login of the same user pushed this session out (login limit, kick-out). */
  REPLACED,
  /** All sessions of the user were ended at once ("sign out everywhere", password change). */
  ALL_REVOKED;

  /**
   * Whether this reason is an expiry, which leaves no tombstone.
   *
   * @return {@code true} for {@link #IDLE_TIMEOUT} and {@link #ABSOLUTE_TIMEOUT}
   */
  public boolean isExpiry() {
    return this == IDLE_TIMEOUT || this == ABSOLUTE_TIMEOUT;
  }
}
