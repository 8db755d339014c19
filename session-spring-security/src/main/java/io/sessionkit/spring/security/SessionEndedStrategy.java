package io.sessionkit.spring.security;

import io.sessionkit.core.EndReason;
import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.session.InvalidSessionStrategy;

/**
 * Tells a user whose session ended why: a browser is redirected to the login page with the reason
 * ({@code /login?reason=replaced}), an API client gets {@code 401} with {@code
 * {"error":"session_ended","reason":"replaced"}}.
 *
 * <p>The reason is the one {@link SessionFilter} found for the session the client presented ({@link
 * SessionFilter#endReason}): {@code logout}, {@code idle_timeout}, {@code absolute_timeout}, {@code
 * revoked}, {@code replaced} (a newer login pushed it out), {@code all_revoked} ("sign out
 * everywhere"), or {@code expired} when the client presented an id the store no longer knows at all
 * (its tombstone is gone, or it expired long ago).
 *
 * <p>Use it twice in Spring Security:
 *
 * <ul>
 *   <li>as the {@link AuthenticationEntryPoint} ({@code
 *       exceptionHandling().authenticationEntryPoint}): a protected request of a signed-out user is
 *       answered as above; a request that presented no session at all goes to the delegate (a plain
 *       redirect to the login page) or gets {@code {"error":"unauthenticated"}} if it is an API
 *       request;
 *   <li>as the {@link InvalidSessionStrategy} ({@code sessionManagement().invalidSessionStrategy}):
 *       any request presenting an ended session is answered as above, public pages included.
 * </ul>
 *
 * A request is an API request if its path (servlet path plus path info) starts with one of the
 * {@linkplain Builder#apiPaths API paths}, or it accepts {@code application/json} and not {@code
 * text/html}. Responses are short constant JSON, never cached. Immutable and thread-safe.
 */
public final class SessionEndedStrategy
    implements AuthenticationEntryPoint, InvalidSessionStrategy {
  /** The default login page: {@value}. */
  public static final String DEFAULT_LOGIN_URL = "/login";

  /** The default query parameter that carries the reason: {@value}. */
  public static final String DEFAULT_REASON_PARAMETER = "reason";

  /** The reason given when the client presented an id the store no longer knows: {@value}. */
  public static final String EXPIRED = "expired";

  /**
   * The attribute of the fresh session a browser gets with the redirect after its session was found
   * gone: why the previous one ended ({@code expired} when the store no longer knows it).
   */
  public static final String ENDED_REASON_ATTRIBUTE = "sessionkit.endedReason";

  private final String loginUrl;
  private final String reasonParameter;
  private final List<String> apiPaths;
  private final AuthenticationEntryPoint delegate;
  private final @Nullable AuthenticationEntryPoint configuredDelegate;

  private SessionEndedStrategy(Builder b) {
    this.loginUrl = b.loginUrl;
    this.reasonParameter = b.reasonParameter;
    this.apiPaths = List.copyOf(b.apiPaths);
    this.configuredDelegate = b.delegate;
    this.delegate =
        b.delegate != null ? b.delegate : new LoginUrlAuthenticationEntryPoint(b.loginUrl);
  }

  /**
   * @return a builder: login page {@value #DEFAULT_LOGIN_URL}, no API paths
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding these settings
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.loginUrl = loginUrl;
    b.reasonParameter = reasonParameter;
    b.apiPaths.addAll(apiPaths);
    b.delegate = configuredDelegate;
    return b;
  }

  /**
   * Why the session this request presented ended, as the lower-case code this strategy sends.
   *
   * @param request the current request
   * @return the code ({@code replaced}, {@code logout}, ..., or {@value #EXPIRED} for an id the
   *     store no longer knows), empty if the request presented no session or a live one
   */
  public static Optional<String> reasonOf(HttpServletRequest request) {
    Optional<EndReason> reason = SessionFilter.endReason(request);
    if (reason.isPresent()) {
      return Optional.of(reason.get().name().toLowerCase(Locale.ROOT));
    }
    if (request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid()) {
      return Optional.of(EXPIRED);
    }
    return Optional.empty();
  }

  @Override
  public void commence(
      HttpServletRequest request,
      HttpServletResponse response,
      AuthenticationException authException)
      throws IOException, ServletException {
    Optional<String> reason = reasonOf(request);
    if (reason.isPresent()) {
      ended(request, response, reason.get());
    } else if (isApi(request)) {
      json(response, "{\"error\":\"unauthenticated\"}");
    } else {
      delegate.commence(request, response, authException);
    }
  }

  @Override
  public void onInvalidSessionDetected(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String reason = reasonOf(request).orElse(EXPIRED);
    if (!isApi(request)) {
      // The filter does not clear a cookie whose id the store merely does not know (a request in
      // flight may have seen its renewal), so a browser would present the dead id again on the
      // login page and be sent back there for ever. A fresh session, holding only why the last
      // one ended, hands it a new id in this redirect.
      request.getSession(true).setAttribute(ENDED_REASON_ATTRIBUTE, reason);
    }
    ended(request, response, reason);
  }

  private void ended(HttpServletRequest request, HttpServletResponse response, String reason)
      throws IOException {
    if (isApi(request)) {
      json(response, "{\"error\":\"session_ended\",\"reason\":\"" + reason + "\"}");
      return;
    }
    String target =
        request.getContextPath()
            + loginUrl
            + (loginUrl.indexOf('?') >= 0 ? '&' : '?')
            + reasonParameter
            + '='
            + reason;
    response.setHeader("Cache-Control", "private, no-store");
    response.sendRedirect(response.encodeRedirectURL(target));
  }

  private boolean isApi(HttpServletRequest request) {
    String path =
        (request.getServletPath() == null ? "" : request.getServletPath())
            + (request.getPathInfo() == null ? "" : request.getPathInfo());
    for (String p : apiPaths) {
      if (path.startsWith(p)) {
        return true;
      }
    }
    String accept = request.getHeader("Accept");
    return accept != null && accept.contains("application/json") && !accept.contains("text/html");
  }

  private static void json(HttpServletResponse response, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "private, no-store");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  @Override
  public String toString() {
    return "SessionEndedStrategy{loginUrl=" + loginUrl + ", apiPaths=" + apiPaths + '}';
  }

  /** Builds a {@link SessionEndedStrategy}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private String loginUrl = DEFAULT_LOGIN_URL;
    private String reasonParameter = DEFAULT_REASON_PARAMETER;
    private final List<String> apiPaths = new ArrayList<>();
    private @Nullable AuthenticationEntryPoint delegate;

    private Builder() {}

    /**
     * @param loginUrl the login page within the application, starting with {@code /} (default
     *     {@value #DEFAULT_LOGIN_URL}); the reason is appended as a query parameter
     * @return this builder
     * @throws IllegalArgumentException if it does not start with {@code /}, starts with {@code //}
     *     or holds a control character
     */
    public Builder loginUrl(String loginUrl) {
      Objects.requireNonNull(loginUrl, "loginUrl");
      if (!loginUrl.startsWith("/")
          || loginUrl.startsWith("//")
          || !loginUrl.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException(
            "loginUrl must be a path within the application starting with a single '/',"
                + " printable ASCII, was '"
                + loginUrl
                + "'");
      }
      this.loginUrl = loginUrl;
      return this;
    }

    /**
     * @param reasonParameter the query parameter of the reason (default {@value
     *     #DEFAULT_REASON_PARAMETER})
     * @return this builder
     * @throws IllegalArgumentException if it is not 1 to 64 characters of {@code [A-Za-z0-9_.-]}
     */
    public Builder reasonParameter(String reasonParameter) {
      Objects.requireNonNull(reasonParameter, "reasonParameter");
      if (!reasonParameter.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException(
            "reasonParameter must be 1 to 64 characters of [A-Za-z0-9_.-], was '"
                + reasonParameter
                + "'");
      }
      this.reasonParameter = reasonParameter;
      return this;
    }

    /**
     * Requests under these path prefixes are API requests and get JSON 401s.
     *
     * @param pathPrefixes prefixes starting with {@code /}, e.g. {@code "/api/"}
     * @return this builder
     * @throws IllegalArgumentException if a prefix does not start with {@code /}
     */
    public Builder apiPaths(String... pathPrefixes) {
      for (String p : pathPrefixes) {
        Objects.requireNonNull(p, "pathPrefix");
        if (!p.startsWith("/")) {
          throw new IllegalArgumentException(
              "apiPaths: a path prefix must start with '/', was '" + p + "'");
        }
        apiPaths.add(p);
      }
      return this;
    }

    /**
     * What answers a browser request that presented no session at all.
     *
     * @param delegate the entry point, default a {@link LoginUrlAuthenticationEntryPoint} to the
     *     login page
     * @return this builder
     */
    public Builder delegate(AuthenticationEntryPoint delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      return this;
    }

    /**
     * @return the strategy
     */
    public SessionEndedStrategy build() {
      return new SessionEndedStrategy(this);
    }
  }
}
