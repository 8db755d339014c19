package io.sessionkit.spring.security;

import io.sessionkit.spring.security.internal.Filters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.logout.LogoutHandler;

/**
 * Ends the request's session in the store with {@link io.sessionkit.core.EndReason#LOGOUT} when the
 * user logs out: on every server, the session's next request finds it gone and learns {@code
 * logout}. It invalidates the {@code HttpSession} the {@link io.sessionkit.servlet.SessionFilter}
 * provides, which deletes the session in the store at once, fires the session listeners and clears
 * the client's cookie.
 *
 * <p>Spring Security's own {@code SecurityContextLogoutHandler} does the same unless {@code
 * logout().invalidateHttpSession(false)} is set; add this handler so that logout ends the
 * SessionKit session whatever that setting says. Running both is harmless: the second finds no
 * session. Stateless and thread-safe.
 *
 * <pre>{@code
 * http.logout(l -> l.addLogoutHandler(new SessionKitLogoutHandler()));
 * }</pre>
 */
public final class SessionKitLogoutHandler implements LogoutHandler {
  /** Creates the handler. */
  public SessionKitLogoutHandler() {}

  /**
   * @throws IllegalStateException if the request did not pass through a {@link
   *     io.sessionkit.servlet.SessionFilter}: logout would end a container session only
   * @throws io.sessionkit.core.StoreUnavailableException if the store cannot be reached (the filter
   *     answers 503; the user is not told they are logged out when they are not)
   */
  @Override
  public void logout(
      HttpServletRequest request,
      HttpServletResponse response,
      @Nullable Authentication authentication) {
    Filters.requireSessionFilter(request, "SessionKit's logout");
    HttpSession session = request.getSession(false);
    if (session == null) {
      return;
    }
    try {
      session.invalidate();
    } catch (IllegalStateException alreadyInvalidated) {
      // Another handler got there first: the session is ended either way.
    }
  }

  @Override
  public String toString() {
    return "SessionKitLogoutHandler";
  }
}
