package io.sessionkit.core;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Server-side sessions shared by every server of an application: the one source of truth for who is
 * logged in.
 *
 * <p><b>Ids.</b> Every method that takes a session id checks its format with {@link
 * SessionIdGenerator#isWellFormed(CharSequence)} before any I/O. A malformed id is treated as "no
 * session" (and reported to {@link SessionListener#invalidIdPresented(String)}); it never reaches
 * the backend and never causes an exception.
 *
 * <p><b>Atomicity.</b> Each method is atomic with respect to every other call on any server: an
 * update racing with {@link #delete} or expiry never recreates the session; concurrent updates of
 * different attributes all land; logins racing against a {@link LoginPolicy} limit never leave more
 * sessions than the limit.
 *
 * <p><b>Cost.</b> Implementations document their round trips; the Redis store spends one command on
 * {@link #access}, one on {@link #update}, one on {@link #create}, one or two on {@link #login}
 * (three when the current session lives in another slot and the login inherits from it), one on
 * {@link #delete}. No call's work grows with the number of sessions one user holds: the default
 * {@link LoginPolicy} caps it, and {@link #deleteAllForUser} works in bounded steps.
 *
 * <p><b>Failure.</b> If the backend cannot be reached within its timeout, methods throw {@link
 * StoreUnavailableException}; callers must fail closed.
 *
 * <p><b>Behaviour every store shares</b> (through {@link SessionStoreCore}; pinned by the testkit's
 * contract suite):
 *
 * <ul>
 *   <li>After {@link #close()} every method throws {@link IllegalStateException}, whatever its
 *       arguments; {@code close()} is idempotent.
 *   <li>Whatever the configured {@link AttributeCodec} throws while encoding reaches the caller as
 *       an {@link AttributeEncodingException} naming the attribute, and nothing is written.
 *   <li>A freshly drawn id that is already in use is drawn again, at most {@value
 *       SessionStoreCore#MAX_ID_DRAWS} ids in all; then the call throws a {@link SessionException}.
 *   <li>An accepted login that carried a live current session reports only {@link
 *       SessionListener#sessionIdChanged} from that session's handle (the same session under a new
 *       id); one without a live current session reports {@link SessionListener#sessionCreated};
 *       {@link #renewId} reports only {@code sessionIdChanged}. So sessions created minus sessions
 *       ended is the number of live sessions.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 *
 * <pre>{@code
 * SessionStore store = InMemorySessionStore.create(SessionConfig.defaults());
 * Session anonymous = store.create();
 * Session alice = store.login(anonymous.id(), "alice").sessionOrThrow();   // new id
 * store.update(alice.id(), SessionChanges.builder().set("theme", "dark").build());
 * AccessResult r = store.access(alice.id());                                // touches, reads
 * store.delete(alice.id(), EndReason.LOGOUT);
 * }</pre>
 */
public interface SessionStore extends AutoCloseable {

  /**
   * Creates an anonymous session with no attributes.
   *
   * @return the new session
   */
  default Session create() {
    return create(SessionChanges.none());
  }

  /**
   * Creates an anonymous session with initial attributes, timeouts and metadata. The id is fresh
   * and unique: a collision with a live id is detected and a new id drawn.
   *
   * @param initial the initial state; removals are ignored
   * @return the new session
   * @throws AttributeEncodingException if an attribute cannot be encoded
   * @throws SessionTooLargeException if the attributes exceed {@link
   *     SessionConfig#maxSessionBytes()}
   */
  Session create(SessionChanges initial);

  /**
   * Validates an id, extends the idle timeout (coalesced, see {@link TtlPolicy}) and reads the
   * session, in one atomic step. Same as {@code access(id, AccessMode.EXTEND)}.
   *
   * @param id the id a client presented; may be malformed or null
   * @return the session, or why it ended, or absent
   */
  default AccessResult access(@Nullable String id) {
    return access(id, AccessMode.EXTEND);
  }

  /**
   * Validates an id and reads the session; with {@link AccessMode#EXTEND} also extends its idle
   * timeout, with {@link AccessMode#PASSIVE} never does.
   *
   * @param id the id a client presented; may be malformed or null
   * @param mode whether the access counts as activity
   * @return the session, or why it ended, or absent
   */
  AccessResult access(@Nullable String id, AccessMode mode);

  /**
   * Applies changes to a live session atomically. Only the named attributes are written. If the
   * session does not exist (ended, expired, renewed, malformed id) nothing is written and nothing
   * is recreated. Does not count as activity by itself.
   *
   * @param id the session id
   * @param changes the changes
   * @return {@code true} if the session was live and the changes were applied
   * @throws AttributeEncodingException if an attribute cannot be encoded; nothing was written
   * @throws SessionTooLargeException if the session would exceed the maximum size; nothing was
   *     written
   */
  boolean update(@Nullable String id, SessionChanges changes);

  /**
   * Replaces a session's id with a new one (fixation protection): the attributes, user, times and
   * metadata carry over, the old id is dead at once. The new id keeps the old id's slot tag.
   *
   * @param id the current id
   * @return the session under its new id, or empty if the session was not live
   */
  Optional<Session> renewId(@Nullable String id);

  /**
   * Logs a user in with the store's {@link LoginPolicy} and default options.
   *
   * @param currentId the id of the client's current (anonymous or other user's) session, or null
   * @param userId the user
   * @return the outcome
   */
  default LoginResult login(@Nullable String currentId, String userId) {
    return login(currentId, userId, LoginOptions.defaults());
  }

  /**
   * Logs a user in: binds the user to a session under a new id in the user's slot (the current id,
   * if any, dies once the login is accepted; a refused login leaves it exactly as it was) and
   * enforces the {@link LoginPolicy} atomically, evicting the least recently active sessions with
   * {@link EndReason#REPLACED} or refusing the login. Records the login time ({@link
   * SessionInfo#authenticatedAt()}).
   *
   * <p>Attributes of the current session carry over only as {@link LoginOptions#carryOver()} says
   * (none by default), and never from another user's session. If {@code currentId} is null,
   * malformed or not live, a fresh session is created.
   *
   * @param currentId the client's current session id, or null
   * @param userId the user, 1 to 256 characters
   * @param options metadata, timeouts override, attribute carry-over
   * @return the new session and the evicted sessions, or the refusal
   * @throws IllegalArgumentException if the user id is empty or too long
   */
  LoginResult login(@Nullable String currentId, String userId, LoginOptions options);

  /**
   * Ends a session. Idempotent. For reasons other than expiry a tombstone records why, for {@link
   * SessionConfig#tombstoneTtl()}.
   *
   * @param id the session id
   * @param reason why it ends, usually {@link EndReason#LOGOUT}
   * @return {@code true} if a live session was ended by this call
   */
  boolean delete(@Nullable String id, EndReason reason);

  /**
   * The live sessions of a user, for a "your devices" page; expired entries are pruned from the
   * index as it is read. Ordered by creation time, oldest first. Never returns ids. An
   * implementation may bound how many it returns (the Redis store: 100); with the default {@link
   * LoginPolicy} a user holds no more than that.
   *
   * @param userId the user
   * @return the sessions, possibly empty
   */
  List<SessionInfo> listForUser(String userId);

  /**
   * Ends one session of a user by its handle, for a "sign out that device" button or an admin.
   *
   * @param userId the user the session must belong to
   * @param handle the session's handle
   * @param reason why, usually {@link EndReason#REVOKED}
   * @return {@code true} if a live session of that user was ended
   */
  boolean deleteByHandle(String userId, String handle, EndReason reason);

  /**
   * Ends every session of a user, optionally sparing the caller's own. Returns only when no session
   * of the user that existed when it was called (but the kept one) is accepted by any server; an
   * implementation may work in bounded steps (the Redis store ends 50 per command), each atomic.
   *
   * @param userId the user
   * @param keepId the id of a session to spare ("all except this device"), or null
   * @param reason why, usually {@link EndReason#ALL_REVOKED}
   * @return how many sessions were ended
   */
  int deleteAllForUser(String userId, @Nullable String keepId, EndReason reason);

  /**
   * The configuration this store was built with.
   *
   * @return the configuration
   */
  SessionConfig config();

  /**
   * Releases the store's resources (connections, threads); every later call of another method
   * throws {@link IllegalStateException}. Idempotent.
   */
  @Override
  void close();
}
