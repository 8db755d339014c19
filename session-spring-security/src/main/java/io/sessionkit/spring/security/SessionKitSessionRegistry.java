package io.sessionkit.spring.security;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionStore;
import io.sessionkit.spring.security.internal.Principals;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;

/**
 * A {@link SessionRegistry} whose answers come from the {@link SessionStore}, so they are the same
 * on every server: {@code sessionManagement().maximumSessions(n)} counts a user's sessions on all
 * servers, {@link SessionInformation#expireNow()} ends the session in the store at once (its next
 * request, on any server, finds it gone and learns why), and an admin page lists and signs out a
 * user's devices.
 *
 * <ul>
 *   <li>{@link #getAllSessions} reads {@link SessionStore#listForUser}: one store call; session ids
 *       are the non-secret handles, as {@code HttpSession.getId()} returns them.
 *   <li>{@link SessionInformation#expireNow()} on an entry calls {@link
 *       SessionStore#deleteByHandle} with the {@linkplain Builder#expireReason reason} configured
 *       ({@link EndReason#REVOKED} by default).
 *   <li>{@link #getAllPrincipals()} is empty: the store keeps no list of users (enumerating Redis
 *       keys is not something a request may do). Look a user up by name instead.
 *   <li>{@link #getSessionInformation(String)} is null: a session is found by its user, and an
 *       ended session is refused by the store itself, so Spring's {@code ConcurrentSessionFilter}
 *       has nothing to add.
 *   <li>{@link #registerNewSession}, {@link #refreshLastRequest} and {@link
 *       #removeSessionInformation} do nothing: {@link SessionKitAuthenticationStrategy}'s login
 *       indexes the session, each request touches it, and logout or expiry removes it.
 * </ul>
 *
 * <p>{@code maximumSessions(n)} is check-then-act (Spring Security counts, then logs in); the
 * store's {@link io.sessionkit.core.LoginPolicy} is the atomic limit, which no race across servers
 * can exceed. Set the limit there; use {@code maximumSessions} only for {@code
 * maxSessionsPreventsLogin} messages, or when you must. Immutable and thread-safe.
 */
public final class SessionKitSessionRegistry implements SessionRegistry {
  private final SessionStore store;
  private final EndReason expireReason;
  private final Function<Object, String> userIds;

  private SessionKitSessionRegistry(Builder b) {
    this.store = b.store;
    this.expireReason = b.expireReason;
    this.userIds = b.userIds;
  }

  /**
   * A builder: {@link EndReason#REVOKED} for {@code expireNow()}, user ids as Spring Security names
   * principals.
   *
   * @param store the store
   * @return a new builder
   */
  public static Builder builder(SessionStore store) {
    return new Builder(store);
  }

  /**
   * @return a builder holding this registry's settings
   */
  public Builder toBuilder() {
    Builder b = new Builder(store);
    b.expireReason = expireReason;
    b.userIds = userIds;
    return b;
  }

  /**
   * @return the reason {@code expireNow()} ends sessions with
   */
  public EndReason expireReason() {
    return expireReason;
  }

  /**
   * @return always empty: the store keeps no list of users
   */
  @Override
  public List<Object> getAllPrincipals() {
    return List.of();
  }

  /**
   * The live sessions of the principal's user on every server, oldest first.
   *
   * @param principal a principal (a {@code UserDetails}, an {@code AuthenticatedPrincipal}, a
   *     {@code Principal}, a user name) or an {@code Authentication}
   * @param includeExpiredSessions ignored: an ended session is gone from the store
   * @return one entry per session; its id is the session's handle
   * @throws io.sessionkit.core.StoreUnavailableException if the store cannot be reached
   */
  @Override
  public List<SessionInformation> getAllSessions(Object principal, boolean includeExpiredSessions) {
    String userId = userIds.apply(Objects.requireNonNull(principal, "principal"));
    List<SessionInformation> out = new ArrayList<>();
    for (SessionInfo info : store.listForUser(userId)) {
      out.add(new StoreSessionInformation(principal, info, userId, store, expireReason));
    }
    return out;
  }

  /**
   * @return null: sessions are looked up by user, see the class comment
   */
  @Override
  public @Nullable SessionInformation getSessionInformation(String sessionId) {
    return null;
  }

  /** Does nothing: every request through the {@code SessionFilter} touches its session. */
  @Override
  public void refreshLastRequest(String sessionId) {
    // Touching is the store's job, coalesced by its TtlPolicy.
  }

  /** Does nothing: {@link SessionKitAuthenticationStrategy}'s login indexed the session already. */
  @Override
  public void registerNewSession(String sessionId, Object principal) {
    // The login put the session in the user's index atomically.
  }

  /** Does nothing: logout and expiry remove the session from the store and the user's index. */
  @Override
  public void removeSessionInformation(String sessionId) {
    // Nothing is kept here.
  }

  @Override
  public String toString() {
    return "SessionKitSessionRegistry{expireReason=" + expireReason + '}';
  }

  /** A session of the store, as Spring Security's {@link SessionInformation}. */
  private static final class StoreSessionInformation extends SessionInformation {
    private static final long serialVersionUID = 1L;

    private final String userId;
    private final transient SessionStore store;
    private final EndReason reason;

    StoreSessionInformation(
        Object principal, SessionInfo info, String userId, SessionStore store, EndReason reason) {
      super(principal, info.handle(), Date.from(info.lastAccessedAt()));
      this.userId = userId;
      this.store = store;
      this.reason = reason;
    }

    /** Ends the session in the store at once; on every server its next request finds it gone. */
    @Override
    public void expireNow() {
      super.expireNow();
      store.deleteByHandle(userId, getSessionId(), reason);
    }
  }

  /** Builds a {@link SessionKitSessionRegistry}. Not thread-safe. */
  public static final class Builder {
    private final SessionStore store;
    private EndReason expireReason = EndReason.REVOKED;
    private Function<Object, String> userIds = Principals::nameOf;

    private Builder(SessionStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * The reason {@link SessionInformation#expireNow()} ends a session with, which its next request
     * is told.
     *
     * @param reason {@link EndReason#REVOKED} (default) or {@link EndReason#REPLACED} (when the
     *     registry serves only {@code maximumSessions(n)}), not an expiry
     * @return this builder
     * @throws IllegalArgumentException for {@link EndReason#IDLE_TIMEOUT} or {@link
     *     EndReason#ABSOLUTE_TIMEOUT}, which a deletion cannot claim
     */
    public Builder expireReason(EndReason reason) {
      Objects.requireNonNull(reason, "reason");
      if (reason.isExpiry()) {
        throw new IllegalArgumentException("expireReason must not be an expiry, was " + reason);
      }
      this.expireReason = reason;
      return this;
    }

    /**
     * How a principal maps to a user id; must agree with {@link SessionKitAuthenticationStrategy}.
     *
     * @param userIds from principal to user id, default the name Spring Security gives it
     * @return this builder
     */
    public Builder userId(Function<Object, String> userIds) {
      this.userIds = Objects.requireNonNull(userIds, "userIds");
      return this;
    }

    /**
     * @return the registry
     */
    public SessionKitSessionRegistry build() {
      return new SessionKitSessionRegistry(this);
    }
  }
}
