package io.sessionkit.core;

/**
 * Receives session lifecycle events from the store that produced them. Every method has an empty
 * default, so a listener overrides only what it needs.
 *
 * <p>Events are delivered synchronously on the calling thread, after the store operation took
 * effect. An exception thrown by a listener is logged and swallowed: it never undoes or fails the
 * operation. A store reports what it did itself; a session that silently expired in Redis is
 * reported only when a request presents its id again (Redis keyspace notifications are not used).
 *
 * <p>Implementations must be thread-safe.
 */
public interface SessionListener {
  /**
   * A session was created, by {@link SessionStore#create} or by a login without a live current
   * session (a login that carried a live session reports {@link #sessionIdChanged} instead: the
   * same session under a new id).
   *
   * @param event the new session
   */
  default void sessionCreated(SessionEvent event) {}

  /**
   * A session ended.
   *
   * @param event the ended session
   * @param reason why
   */
  default void sessionEnded(SessionEvent event, EndReason reason) {}

  /**
   * A session's id was replaced by a new one (fixation protection at login or {@code renewId}).
   *
   * @param event the session under its new handle
   * @param previousHandle the handle of the old id, which is now dead
   */
  default void sessionIdChanged(SessionEvent event, String previousHandle) {}

  /**
   * A malformed id was presented and rejected before any I/O; counts for brute-force detection.
   *
   * @param source where it came from, e.g. {@code "access"}, {@code "cookie"}, {@code "header"}
   */
  default void invalidIdPresented(String source) {}

  /**
   * A stored attribute could not be decoded (not this codec's JSON, or a type outside the
   * allowlist); nothing was instantiated from it.
   *
   * @param event the session
   * @param attributeName the attribute
   */
  default void attributeRejected(SessionEvent event, String attributeName) {}

  /**
   * A login was refused by a {@link LoginPolicy} with {@link OnLimit#REJECT_NEW}.
   *
   * @param userId the user
   */
  default void loginRejected(String userId) {}
}
