package io.sessionkit.spring.security;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;

/**
 * "Sign out everywhere", in one call, for a password change or a compromised account: every session
 * of the user ends with {@link EndReason#ALL_REVOKED} on every server, and, with a {@link
 * TokenRevocationService}, every token issued to the user before now is refused ({@link
 * TokenRevocationService#revokeAllForUser}). The session making the call can be spared, so the user
 * who just changed their password stays signed in on this device.
 *
 * <p>Cost: one {@link SessionStore#deleteAllForUser}, then, with a token service, its {@code
 * revokeAllForUser} (which finds no session left to end). Immutable and thread-safe.
 *
 * <pre>{@code
 * SignOutEverywhere signOut = SignOutEverywhere.builder(store).tokens(tokens).build();
 * // after the password was changed:
 * signOut.signOut(request, authentication, true);   // keep this session
 * }</pre>
 */
public final class SignOutEverywhere {
  private final SessionStore store;
  private final @Nullable TokenRevocationService tokens;

  private SignOutEverywhere(Builder b) {
    this.store = b.store;
    this.tokens = b.tokens;
  }

  /**
   * @param store the session store
   * @return a builder without a token service
   */
  public static Builder builder(SessionStore store) {
    return new Builder(store);
  }

  /**
   * @return a builder holding these settings
   */
  public Builder toBuilder() {
    Builder b = new Builder(store);
    b.tokens = tokens;
    return b;
  }

  /**
   * Signs the authenticated user out everywhere; see {@link #signOut(HttpServletRequest, String,
   * boolean)}.
   *
   * @param request the current request
   * @param authentication the user, named as {@link Authentication#getName()}
   * @param keepCurrent whether the request's own session survives
   * @return how many sessions ended
   */
  public int signOut(
      HttpServletRequest request, Authentication authentication, boolean keepCurrent) {
    return signOut(request, authentication.getName(), keepCurrent);
  }

  /**
   * Ends every session of the user, and revokes every token issued to the user before now.
   *
   * <p>If {@code keepCurrent} is false and the request's own session belongs to the user, it ends
   * too and the request's {@code HttpSession} is invalidated. If the request has no session, or
   * another user's (an administrator's), nothing is spared.
   *
   * @param request the current request
   * @param userId the user
   * @param keepCurrent whether the request's own session survives
   * @return how many sessions ended
   * @throws IllegalStateException if {@code keepCurrent} and the request did not pass through a
   *     {@link SessionFilter}
   * @throws io.sessionkit.core.StoreUnavailableException if the store cannot be reached
   */
  public int signOut(HttpServletRequest request, String userId, boolean keepCurrent) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(userId, "userId");
    String keepId =
        keepCurrent ? SessionFilter.currentSession(request).map(Session::id).orElse(null) : null;
    // Sessions first, so the count is theirs; then the tokens (which would end the sessions too).
    int ended = store.deleteAllForUser(userId, keepId, EndReason.ALL_REVOKED);
    if (tokens != null) {
      tokens.revokeAllForUser(userId, keepId);
    }
    if (!keepCurrent) {
      HttpSession own = request.getSession(false);
      boolean mine =
          SessionFilter.currentSession(request)
              .flatMap(Session::userId)
              .map(userId::equals)
              .orElse(false);
      if (own != null && mine) {
        try {
          own.invalidate();
        } catch (IllegalStateException alreadyInvalidated) {
          // Ended either way.
        }
      }
    }
    return ended;
  }

  @Override
  public String toString() {
    return "SignOutEverywhere{tokens=" + (tokens != null) + '}';
  }

  /** Builds a {@link SignOutEverywhere}. Not thread-safe. */
  public static final class Builder {
    private final SessionStore store;
    private @Nullable TokenRevocationService tokens;

    private Builder(SessionStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param tokens the token service whose {@code revokeAllForUser} also runs, or null for
     *     sessions only
     * @return this builder
     */
    public Builder tokens(@Nullable TokenRevocationService tokens) {
      this.tokens = tokens;
      return this;
    }

    /**
     * @return the service
     */
    public SignOutEverywhere build() {
      return new SignOutEverywhere(this);
    }
  }
}
