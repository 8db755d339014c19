package io.sessionkit.core;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link SessionStore#login}: either the new session (and the sessions a limit
 * evicted to make room), or a refusal under {@link OnLimit#REJECT_NEW}.
 */
public sealed interface LoginResult permits LoginResult.Accepted, LoginResult.Rejected {

  /**
   * The login succeeded.
   *
   * @param session the new session, with a new id in the user's slot
   * @param evicted the sessions ended with {@link EndReason#REPLACED} to respect the limit
   */
  record Accepted(Session session, List<SessionInfo> evicted) implements LoginResult {
    /**
     * Validates and copies.
     *
     * @param session the new session
     * @param evicted the evicted sessions
     */
    public Accepted {
      Objects.requireNonNull(session, "session");
      evicted = List.copyOf(evicted);
    }
  }

  /**
   * The login was refused because the user is at a limit and the policy is {@link
   * OnLimit#REJECT_NEW}. Nothing changed: the current session, if any, is still live.
   *
   * @param limit the limit that was reached
   * @param perDeviceType whether it was the per-device-type limit rather than the per-user one
   */
  record Rejected(int limit, boolean perDeviceType) implements LoginResult {}

  /**
   * Whether the login succeeded.
   *
   * @return true for {@link Accepted}
   */
  default boolean isAccepted() {
    return this instanceof Accepted;
  }

  /**
   * The new session of an accepted login.
   *
   * @return the session
   * @throws IllegalStateException if the login was rejected
   */
  default Session sessionOrThrow() {
    if (this instanceof Accepted a) {
      return a.session();
    }
    throw new IllegalStateException("login was rejected: " + this);
  }
}
