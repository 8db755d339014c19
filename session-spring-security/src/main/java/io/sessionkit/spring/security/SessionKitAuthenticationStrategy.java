package io.sessionkit.spring.security;

import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.servlet.SessionFilter;
import io.sessionkit.spring.security.internal.Filters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;

/**
 * Makes Spring Security's logins SessionKit logins: after a successful authentication (form login,
 * HTTP Basic with sessions, OAuth2 login, or any filter that calls its {@link
 * SessionAuthenticationStrategy}) it calls {@link SessionFilter#login}, so the session gets a new
 * id in the user's slot (fixation protection, replacing Spring's own), the user is bound to it and
 * indexed (devices page, "sign out everywhere"), and the store's {@link
 * io.sessionkit.core.LoginPolicy} is enforced atomically across every server.
 *
 * <p>Under {@link io.sessionkit.core.OnLimit#REJECT_NEW} a login over the limit throws {@link
 * SessionAuthenticationException}, which Spring Security hands to the login's failure handler (by
 * default a redirect to {@code /login?error}); nothing changed in the store. Under {@link
 * io.sessionkit.core.OnLimit#EVICT_OLDEST} the oldest sessions end with {@link
 * io.sessionkit.core.EndReason#REPLACED}, and their next request learns why (see {@link
 * SessionEndedStrategy}).
 *
 * <p>Only Spring Security's saved request ({@value #SAVED_REQUEST_ATTRIBUTE}, so the login returns
 * the user to the page that asked for it) carries over from the session the login started in;
 * nothing else an anonymous visitor could have planted does (the CSRF token is replaced by Spring
 * Security anyway). Give {@link Builder#loginOptions} to carry more. The new session's metadata
 * holds the request's {@code User-Agent} and remote address, sanitized; give {@link
 * Builder#loginOptions} to set a device type or a "remember me" timeout.
 *
 * <p>Requires {@link SessionFilter} ahead of Spring Security's filter chain: without it the login
 * fails with an {@link IllegalStateException} saying so, never silently on a container session.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * http.sessionManagement(s -> s.sessionAuthenticationStrategy(SessionKitAuthenticationStrategy.defaults()));
 * }</pre>
 */
public final class SessionKitAuthenticationStrategy implements SessionAuthenticationStrategy {
  private static final Logger LOG = LoggerFactory.getLogger(SessionKitAuthenticationStrategy.class);
  private static final SessionKitAuthenticationStrategy DEFAULTS = builder().build();

  private final Function<Authentication, String> userIds;

  /**
   * The session attribute under which Spring Security's {@code HttpSessionRequestCache} keeps the
   * request that a login interrupted: the one attribute a login carries over by default.
   */
  public static final String SAVED_REQUEST_ATTRIBUTE = "SPRING_SECURITY_SAVED_REQUEST";

  private final BiFunction<HttpServletRequest, Authentication, LoginOptions> loginOptions;

  private SessionKitAuthenticationStrategy(Builder b) {
    this.userIds = b.userIds;
    this.loginOptions = b.loginOptions;
  }

  /**
   * The strategy with the user id {@link Authentication#getName()} and the request's user agent and
   * address as metadata.
   *
   * @return the shared default strategy
   */
  public static SessionKitAuthenticationStrategy defaults() {
    return DEFAULTS;
  }

  /**
   * @return a builder starting from the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding this strategy's settings
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.userIds = userIds;
    b.loginOptions = loginOptions;
    return b;
  }

  /**
   * The default login options: the request's {@code User-Agent} and remote address as metadata,
   * truncated and stripped of control characters; the policy's timeouts; attributes kept.
   *
   * @param request the login request
   * @param authentication the new authentication
   * @return the options
   */
  public static LoginOptions requestMetadata(
      HttpServletRequest request, Authentication authentication) {
    return LoginOptions.builder()
        .carryOnly(SAVED_REQUEST_ATTRIBUTE)
        .metadata(
            SessionMetadata.of(
                null,
                null,
                SessionMetadata.sanitize(request.getHeader("User-Agent")),
                SessionMetadata.sanitize(request.getRemoteAddr())))
        .build();
  }

  /**
   * Logs the authenticated user in through SessionKit.
   *
   * @throws SessionAuthenticationException if the login policy refused the login, or the user id is
   *     empty or longer than 256 characters
   * @throws IllegalStateException if the request did not pass through a {@link SessionFilter}
   * @throws io.sessionkit.core.StoreUnavailableException if the store cannot be reached (the filter
   *     answers 503)
   */
  @Override
  public void onAuthentication(
      Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
    String userId = userIds.apply(authentication);
    if (userId == null || userId.isEmpty() || userId.length() > 256) {
      throw new SessionAuthenticationException(
          "The user id of this authentication is empty or longer than 256"
              + " characters; it cannot own a session");
    }
    LoginOptions options =
        Objects.requireNonNull(loginOptions.apply(request, authentication), "loginOptions");
    Filters.requireSessionFilter(request, "SessionKit's login");
    LoginResult result = SessionFilter.login(request, userId, options);
    if (result instanceof LoginResult.Rejected r) {
      throw new SessionAuthenticationException(
          "Maximum sessions of "
              + r.limit()
              + (r.perDeviceType() ? " per device type" : "")
              + " for this user exceeded");
    }
    if (result instanceof LoginResult.Accepted a && LOG.isDebugEnabled()) {
      LOG.debug(
          "login of session {} accepted, {} older session(s) replaced",
          a.session().handle(),
          a.evicted().size());
    }
  }

  @Override
  public String toString() {
    return "SessionKitAuthenticationStrategy";
  }

  /** Builds a {@link SessionKitAuthenticationStrategy}. Not thread-safe. */
  public static final class Builder {
    private Function<Authentication, String> userIds = Authentication::getName;
    private BiFunction<HttpServletRequest, Authentication, LoginOptions> loginOptions =
        SessionKitAuthenticationStrategy::requestMetadata;

    private Builder() {}

    /**
     * How the user id is derived; it must agree with {@link SessionKitSessionRegistry} and {@link
     * SignOutEverywhere} callers.
     *
     * @param userIds from the authentication to the user id, default {@link
     *     Authentication#getName()}
     * @return this builder
     */
    public Builder userId(Function<Authentication, String> userIds) {
      this.userIds = Objects.requireNonNull(userIds, "userIds");
      return this;
    }

    /**
     * The options of each login: device type (for per-device-type limits), label, a timeouts
     * override for "remember me", attribute carry-over.
     *
     * @param loginOptions from the request and authentication to the options, default {@link
     *     SessionKitAuthenticationStrategy#requestMetadata}
     * @return this builder
     */
    public Builder loginOptions(
        BiFunction<HttpServletRequest, Authentication, LoginOptions> loginOptions) {
      this.loginOptions = Objects.requireNonNull(loginOptions, "loginOptions");
      return this;
    }

    /**
     * @return the strategy
     */
    public SessionKitAuthenticationStrategy build() {
      return new SessionKitAuthenticationStrategy(this);
    }
  }
}
