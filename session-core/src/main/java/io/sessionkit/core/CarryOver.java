package io.sessionkit.core;

/**
 * Which attributes of the client's current session a {@link SessionStore#login login} copies into
 * the new session (see {@link LoginOptions#carryOver()}).
 *
 * <p>Whatever the choice, nothing is ever copied from a session that belongs to <em>another</em>
 * user: logging in as bob from alice's session starts bob with no attributes (alice's {@code
 * role=admin} must not become bob's). The choice applies to anonymous sessions and to the same
 * user's own session.
 *
 * <p>Why {@link #NONE} is the default: anyone can create an anonymous session and set attributes in
 * it (a {@code returnTo} URL, a "cart" holding a payload), then plant its id in a victim's browser
 * (session fixation by cookie injection). Everything carried over survives into the victim's
 * authenticated session. Carry over only what the application re-validates after login, ideally by
 * name with {@link #LISTED}.
 */
public enum CarryOver {
  /** Nothing is copied: the new session starts empty. The default. */
  NONE,
  /** Every attribute is copied (what {@code HttpSession#changeSessionId} does). */
  ALL,
  /** Only the attributes named in {@link LoginOptions#carriedNames()} are copied. */
  LISTED
}
