package io.sessionkit.servlet;

import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.servlet.internal.OutageLog;
import io.sessionkit.servlet.internal.Responses;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses bearer tokens that were revoked, on every server at once: reads {@code Authorization:
 * Bearer <token>}, lets the application's {@link TokenVerifier} check the token and extract its
 * {@link TokenClaims}, then asks the {@link TokenRevocationService} (one round trip) whether the
 * token is still good.
 *
 * <ul>
 *   <li>A genuine, unrevoked token passes; its claims are in the request attribute {@link
 *       #CLAIMS_ATTRIBUTE} ({@link #claims(HttpServletRequest)}).
 *   <li>A token that is malformed, not genuine, revoked, issued before its user's or the global
 *       watermark, or expired gets {@code 401} with {@code WWW-Authenticate: Bearer
 *       error="invalid_token"} and {@code {"error":"invalid_token","reason":"revoked"}}; reasons:
 *       {@code malformed}, {@code invalid}, {@code revoked}, {@code all_revoked}, {@code
 *       globally_revoked}, {@code expired}.
 *   <li>Anything else that some parser could take for a bearer token is refused with {@code 401},
 *       {@code WWW-Authenticate: Bearer error="invalid_request"} and {@code
 *       {"error":"invalid_request","reason":"..."}}, never passed on unchecked: a scheme not
 *       followed by exactly one space ({@code Bearer<TAB>t}, {@code Bearer} alone; reason {@code
 *       malformed_authorization}), several {@code Authorization} headers of which one names {@code
 *       Bearer} ({@code several_authorization_headers}), or an {@code access_token} query parameter
 *       or {@code application/x-www-form-urlencoded} body parameter ({@code token_in_parameter};
 *       the filter parses such a form body, as {@code getParameter} would). The scheme name is
 *       matched in any case ({@code bearer t} is checked like {@code Bearer t}). These checks come
 *       before any store call, so they hold while the revocation store is down.
 *   <li>No bearer token: the request passes untouched, unless {@link
 *       Builder#requireToken(boolean)}, then {@code 401} with {@code WWW-Authenticate: Bearer} and
 *       {@code {"error":"missing_token"}}.
 *   <li>The {@link TokenVerifier} throws, an {@link Error} included: {@code 401} {@code invalid},
 *       and only the throwable's class name in the log.
 *   <li>The revocation store is unreachable: {@code 503}, never "let it through".
 * </ul>
 *
 * The token is never logged and never echoed.
 *
 * <pre>{@code
 * BearerRevocationFilter.builder(revocations, verifier).requireToken(true).register(servletContext, "/api/*");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BearerRevocationFilter implements Filter {
  /** The request attribute holding the {@link TokenClaims} of an accepted token: {@value}. */
  public static final String CLAIMS_ATTRIBUTE = "io.sessionkit.servlet.tokenClaims";

  /** The longest token accepted, in characters: {@value}. */
  public static final int MAX_TOKEN_LENGTH = 8192;

  /** The default filter name used by {@link Builder#register}: {@value}. */
  public static final String DEFAULT_FILTER_NAME = "sessionkit-bearer";

  private static final Logger LOG = LoggerFactory.getLogger(BearerRevocationFilter.class);

  /** RFC 6750 b64token. */
  private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";
  private static final String INVALID_REQUEST = "Bearer error=\"invalid_request\"";

  /**
   * The one accepted form: the scheme in any case, one space, the token (RFC 6750 2.1, RFC 9110
   * 11.4).
   */
  private static final Pattern BEARER_HEADER = Pattern.compile("(?i:bearer) (.*)");

  /** The scheme name anywhere a lenient parser might find it. */
  private static final Pattern BEARER_ANYWHERE = Pattern.compile("(?i)(^|,)\\s*bearer");

  private static final String ACCESS_TOKEN = "access_token";
  private static final String FORM = "application/x-www-form-urlencoded";

  private final TokenRevocationService revocations;
  private final TokenVerifier verifier;
  private final boolean requireToken;
  private final OutageLog outage;

  private BearerRevocationFilter(Builder b) {
    this.revocations = b.revocations;
    this.verifier = b.verifier;
    this.requireToken = b.requireToken;
    this.outage = new OutageLog(LOG, "revocation store", b.revocations.config().clock());
  }

  /**
   * A builder.
   *
   * @param revocations the revocation service shared by every server
   * @param verifier the application's token check
   * @return a new builder (tokens optional by default)
   */
  public static Builder builder(TokenRevocationService revocations, TokenVerifier verifier) {
    return new Builder(revocations, verifier);
  }

  /**
   * @return a builder holding this filter's settings
   */
  public Builder toBuilder() {
    return new Builder(revocations, verifier).requireToken(requireToken);
  }

  /**
   * @return whether requests without a bearer token are refused
   */
  public boolean requireToken() {
    return requireToken;
  }

  /**
   * The claims of the token this request was accepted with.
   *
   * @param request the request
   * @return the claims, empty if the request carried no bearer token or did not pass the filter
   */
  public static Optional<TokenClaims> claims(HttpServletRequest request) {
    Object c = request.getAttribute(CLAIMS_ATTRIBUTE);
    return c instanceof TokenClaims t ? Optional.of(t) : Optional.empty();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    List<String> authorizations = values(request.getHeaders("Authorization"));
    String token = null;
    for (String a : authorizations) {
      if (!looksLikeBearer(a)) {
        continue;
      }
      if (authorizations.size() > 1) {
        // Which one would the application's own code read? Nobody can say: refuse them all.
        refuseRequest(response, "several_authorization_headers");
        return;
      }
      var m = BEARER_HEADER.matcher(a);
      if (!m.matches()) {
        // "Bearer<TAB>t", "Bearer  t", "Bearert", "Bearer" alone: a lenient parser elsewhere might
        // still take a token out of it, so it is refused rather than passed on unchecked.
        refuseRequest(response, "malformed_authorization");
        return;
      }
      token = m.group(1);
    }
    if (carriesTokenParameter(request)) {
      // RFC 6750 2.2 and 2.3: a token in a query or form parameter. This filter checks only the
      // header; a parameter the application might read is refused, never passed on unchecked.
      refuseRequest(response, "token_in_parameter");
      return;
    }
    if (token == null) {
      if (requireToken) {
        response.setHeader("WWW-Authenticate", "Bearer");
        Responses.json(
            response, HttpServletResponse.SC_UNAUTHORIZED, "{\"error\":\"missing_token\"}");
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    if (token.length() > MAX_TOKEN_LENGTH || !B64TOKEN.matcher(token).matches()) {
      refuse(response, "malformed");
      return;
    }
    TokenVerification verification;
    try {
      verification = Objects.requireNonNull(verifier.verify(token), "TokenVerifier returned null");
    } catch (Throwable e) {
      // Whatever the verifier throws, Errors included (an AssertionError, a StackOverflowError on a
      // hostile token): the token is refused with a 401. Never a container error page, which would
      // show the throwable's message; only its class name is logged.
      LOG.warn("token verifier threw {}; token refused", e.getClass().getName());
      verification = TokenVerification.invalid("verifier threw " + e.getClass().getName());
    }
    Optional<TokenClaims> claims = verification.claims();
    if (claims.isEmpty()) {
      LOG.debug("bearer token refused by the verifier: {}", verification.problem().orElse("?"));
      refuse(response, "invalid");
      return;
    }
    if (!claims.get().isWellFormed()) {
      refuse(response, "malformed");
      return;
    }
    TokenCheck check;
    try {
      check = revocations.check(claims.get());
    } catch (StoreUnavailableException e) {
      outage.refused(e);
      Responses.json(
          response,
          HttpServletResponse.SC_SERVICE_UNAVAILABLE,
          "{\"error\":\"revocation_store_unavailable\"}");
      return;
    }
    outage.reached();
    Optional<RevocationReason> reason = check.reason();
    if (reason.isPresent()) {
      refuse(response, reason.get().name().toLowerCase(Locale.ROOT));
      return;
    }
    request.setAttribute(CLAIMS_ATTRIBUTE, claims.get());
    chain.doFilter(request, response);
  }

  /**
   * Whether an {@code Authorization} value could be read as a bearer credential by some parser: the
   * word {@code bearer} in any case at its start or after a comma, followed by anything.
   */
  static boolean looksLikeBearer(String value) {
    return BEARER_ANYWHERE.matcher(value).find();
  }

  private static boolean carriesTokenParameter(HttpServletRequest request) {
    String query = request.getQueryString();
    if (query != null && hasParameterNamed(query, ACCESS_TOKEN)) {
      return true;
    }
    String contentType = request.getContentType();
    if (contentType != null
        && contentType.regionMatches(true, 0, FORM, 0, FORM.length())
        && !"GET".equals(request.getMethod())) {
      // Reads the form body the way the application would (the container keeps the parsed
      // parameters, so request.getParameter still works afterwards).
      return request.getParameterValues(ACCESS_TOKEN) != null;
    }
    return false;
  }

  /**
   * Looks for a parameter name in a raw query string, percent-decoded, without the container's
   * parser.
   */
  static boolean hasParameterNamed(String query, String name) {
    for (String pair : query.split("[&;]")) {
      int eq = pair.indexOf('=');
      String n = eq < 0 ? pair : pair.substring(0, eq);
      if (n.indexOf('%') >= 0 || n.indexOf('+') >= 0) {
        try {
          n = URLDecoder.decode(n, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          continue;
        }
      }
      if (n.strip().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> values(Enumeration<String> headers) {
    List<String> out = new ArrayList<>();
    if (headers != null) {
      while (headers.hasMoreElements()) {
        out.add(headers.nextElement().strip());
      }
    }
    return out;
  }

  private static void refuseRequest(HttpServletResponse response, String reason)
      throws IOException {
    response.setHeader("WWW-Authenticate", INVALID_REQUEST);
    Responses.json(
        response,
        HttpServletResponse.SC_UNAUTHORIZED,
        "{\"error\":\"invalid_request\",\"reason\":\"" + reason + "\"}");
  }

  private static void refuse(HttpServletResponse response, String reason) throws IOException {
    response.setHeader("WWW-Authenticate", INVALID_TOKEN);
    Responses.json(
        response,
        HttpServletResponse.SC_UNAUTHORIZED,
        "{\"error\":\"invalid_token\",\"reason\":\"" + reason + "\"}");
  }

  @Override
  public String toString() {
    return "BearerRevocationFilter{requireToken=" + requireToken + '}';
  }

  /** Builds a {@link BearerRevocationFilter}. Not thread-safe. */
  public static final class Builder {
    private final TokenRevocationService revocations;
    private final TokenVerifier verifier;
    private boolean requireToken;

    private Builder(TokenRevocationService revocations, TokenVerifier verifier) {
      this.revocations = Objects.requireNonNull(revocations, "revocations");
      this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * @param requireToken whether a request without a bearer token gets 401 (default false: it
     *     passes, for paths that also serve anonymous or cookie-authenticated requests)
     * @return this builder
     */
    public Builder requireToken(boolean requireToken) {
      this.requireToken = requireToken;
      return this;
    }

    /**
     * @return the filter
     */
    public BearerRevocationFilter build() {
      return new BearerRevocationFilter(this);
    }

    /**
     * Builds the filter and registers it as {@value #DEFAULT_FILTER_NAME} on the given URL patterns
     * for requests.
     *
     * @param servletContext the context, while it initializes
     * @param urlPatterns the patterns, e.g. {@code "/api/*"}
     * @return the registration
     * @throws IllegalStateException if a filter of that name is already registered
     * @throws IllegalArgumentException if no pattern is given
     */
    public FilterRegistration.Dynamic register(
        ServletContext servletContext, String... urlPatterns) {
      if (urlPatterns.length == 0) {
        throw new IllegalArgumentException(
            "register needs at least one URL pattern, e.g. \"/api/*\"");
      }
      FilterRegistration.Dynamic r = servletContext.addFilter(DEFAULT_FILTER_NAME, build());
      if (r == null) {
        throw new IllegalStateException(
            "a filter named '" + DEFAULT_FILTER_NAME + "' is already registered");
      }
      r.setAsyncSupported(true);
      r.addMappingForUrlPatterns(null, true, urlPatterns);
      return r;
    }
  }
}
