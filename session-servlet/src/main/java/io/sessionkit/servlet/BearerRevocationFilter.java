package io.sessionkit.servlet;

import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
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
 * Refuses bearer tokens that were revoked, on every server at once: reads
 * {@code Authorization: Bearer <token>}, lets the application's {@link TokenVerifier} check the
 * token and extract its {@link TokenClaims}, then asks the {@link TokenRevocationService} (one
 * round trip) whether the token is still good.
 *
 * <ul>
 *   <li>A genuine, unrevoked token passes; its claims are in the request attribute
 *       {@link #CLAIMS_ATTRIBUTE} ({@link #claims(HttpServletRequest)}).
 *   <li>A token that is malformed, not genuine, revoked, issued before its user's or the global
 *       watermark, or expired gets {@code 401} with {@code WWW-Authenticate: Bearer
 *       error="invalid_token"} and {@code {"error":"invalid_token","reason":"revoked"}}; reasons:
 *       {@code malformed}, {@code invalid}, {@code revoked}, {@code all_revoked},
 *       {@code globally_revoked}, {@code expired}.
 *   <li>No bearer token: the request passes untouched, unless {@link Builder#requireToken(boolean)},
 *       then {@code 401} with {@code WWW-Authenticate: Bearer} and {@code {"error":"missing_token"}}.
 *   <li>The revocation store is unreachable: {@code 503}, never "let it through".
 * </ul>
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

  private final TokenRevocationService revocations;
  private final TokenVerifier verifier;
  private final boolean requireToken;

  private BearerRevocationFilter(Builder b) {
    this.revocations = b.revocations;
    this.verifier = b.verifier;
    this.requireToken = b.requireToken;
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

  /** @return a builder holding this filter's settings */
  public Builder toBuilder() {
    return new Builder(revocations, verifier).requireToken(requireToken);
  }

  /** @return whether requests without a bearer token are refused */
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
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    List<String> authorizations = values(request.getHeaders("Authorization"));
    List<String> bearer = new ArrayList<>();
    for (String a : authorizations) {
      if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
        bearer.add(a.substring(7).strip());
      }
    }
    if (bearer.isEmpty()) {
      if (requireToken) {
        response.setHeader("WWW-Authenticate", "Bearer");
        Responses.json(response, HttpServletResponse.SC_UNAUTHORIZED, "{\"error\":\"missing_token\"}");
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    if (bearer.size() > 1 || authorizations.size() > 1) {
      refuse(response, "malformed");
      return;
    }
    String token = bearer.get(0);
    if (token.length() > MAX_TOKEN_LENGTH || !B64TOKEN.matcher(token).matches()) {
      refuse(response, "malformed");
      return;
    }
    TokenVerification verification;
    try {
      verification = Objects.requireNonNull(verifier.verify(token), "TokenVerifier returned null");
    } catch (RuntimeException e) {
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
      LOG.error("revocation store unavailable; answering 503", e);
      Responses.json(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "{\"error\":\"revocation_store_unavailable\"}");
      return;
    }
    Optional<RevocationReason> reason = check.reason();
    if (reason.isPresent()) {
      refuse(response, reason.get().name().toLowerCase(Locale.ROOT));
      return;
    }
    request.setAttribute(CLAIMS_ATTRIBUTE, claims.get());
    chain.doFilter(request, response);
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

  private static void refuse(HttpServletResponse response, String reason) throws IOException {
    response.setHeader("WWW-Authenticate", INVALID_TOKEN);
    Responses.json(response, HttpServletResponse.SC_UNAUTHORIZED,
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

    /** @return the filter */
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
    public FilterRegistration.Dynamic register(ServletContext servletContext, String... urlPatterns) {
      if (urlPatterns.length == 0) {
        throw new IllegalArgumentException("register needs at least one URL pattern, e.g. \"/api/*\"");
      }
      FilterRegistration.Dynamic r = servletContext.addFilter(DEFAULT_FILTER_NAME, build());
      if (r == null) {
        throw new IllegalStateException("a filter named '" + DEFAULT_FILTER_NAME + "' is already registered");
      }
      r.setAsyncSupported(true);
      r.addMappingForUrlPatterns(null, true, urlPatterns);
      return r;
    }
  }
}
