package io.sessionkit.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.servlet.BearerRevocationFilter;
import io.sessionkit.servlet.SessionFilter;
import io.sessionkit.servlet.TokenVerification;
import io.sessionkit.servlet.TokenVerifier;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Every page and endpoint of the demo, identical on both nodes. The {@link SessionFilter} in front
 * of it makes {@code request.getSession()} the shared session; this servlet signs users in with
 * {@link SessionFilter#login}, lists and revokes their sessions through the {@link
 * io.sessionkit.core.SessionStore}, and issues, checks and revokes tokens through the {@link
 * io.sessionkit.core.TokenRevocationService}.
 *
 * <p>Form posts from a browser (an {@code Accept} naming {@code text/html}) are answered with a
 * redirect to {@code /}; other clients get JSON. State-changing requests are POSTs only, and the
 * session cookie is {@code SameSite=Lax}, so another site cannot make a browser send them with the
 * cookie. Thread-safe.
 */
final class DemoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REVOKE_PATH =
      Pattern.compile("/api/sessions/([A-Za-z0-9_-]{1,64})/revoke");
  private static final String FLASH = "demo.flash";

  /** How one node presents itself. */
  record NodeInfo(String name, String server, IntSupplier otherPort) {}

  private final transient NodeInfo node;
  private final transient DemoBackend.Services services;
  private final transient String storeDescription;
  private final transient UserDirectory users;
  private final transient DemoJwt jwt;
  private final transient Clock clock;
  private final int maxSessions;

  DemoServlet(
      NodeInfo node,
      DemoBackend.Services services,
      String storeDescription,
      UserDirectory users,
      DemoJwt jwt,
      int maxSessions) {
    this.node = node;
    this.services = services;
    this.storeDescription = storeDescription;
    this.users = users;
    this.jwt = jwt;
    this.clock = services.sessions().config().clock();
    this.maxSessions = maxSessions;
  }

  DemoBackend.Services services() {
    return services;
  }

  /** The check the {@link BearerRevocationFilter} runs before asking about revocation. */
  TokenVerifier tokenVerifier() {
    return raw ->
        jwt.verify(raw)
            .map(TokenVerification::valid)
            .orElseGet(
                () ->
                    TokenVerification.invalid(
                        "not a token of this demo (format, algorithm, signature or issuer)"));
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = path(req);
    String method = req.getMethod();
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    Matcher revoke = REVOKE_PATH.matcher(path);
    switch (method + " " + (revoke.matches() ? "/api/sessions/{handle}/revoke" : path)) {
      case "GET /" -> home(req, res);
      case "POST /login" -> login(req, res);
      case "POST /logout" -> logout(req, res);
      case "POST /logout-all" -> logoutAll(req, res);
      case "POST /password" -> changePassword(req, res);
      case "GET /api/me" -> me(req, res);
      case "GET /api/sessions" -> sessions(req, res);
      case "POST /api/sessions/{handle}/revoke" -> revokeSession(req, res, revoke.group(1));
      case "POST /api/token" -> issueToken(req, res);
      case "POST /api/token/refresh" -> refreshToken(req, res);
      case "GET /api/token/me" -> tokenMe(req, res);
      case "POST /api/token/revoke" -> revokeToken(req, res);
      default -> notFoundOrWrongMethod(req, res, path);
    }
  }

  // ---- pages --------------------------------------------------------------------------------

  private void home(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Optional<Session> current = signedIn(req);
    if (current.isEmpty()) {
      String message =
          SessionFilter.endReason(req).map(r -> Pages.endedMessage(r, maxSessions)).orElse(null);
      html(
          res,
          200,
          Pages.loginPage(
              view(req), message, false, UserDirectory.DEMO_USERS, UserDirectory.DEMO_PASSWORD));
      return;
    }
    Session s = current.get();
    HttpSession http = req.getSession();
    Object flash = http.getAttribute(FLASH);
    if (flash != null) {
      http.removeAttribute(FLASH);
    }
    List<SessionInfo> devices = services.sessions().listForUser(s.userId().orElseThrow());
    html(
        res,
        200,
        Pages.homePage(
            view(req),
            s,
            devices,
            flash == null ? null : flash.toString(),
            maxSessions,
            clock.instant()));
  }

  private void login(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String user = trimmed(req.getParameter("user"));
    String password = req.getParameter("password");
    if (user.isEmpty() || password == null || !users.authenticate(user, password)) {
      html(
          res,
          401,
          Pages.loginPage(
              view(req),
              "Wrong user name or password.",
              true,
              UserDirectory.DEMO_USERS,
              UserDirectory.DEMO_PASSWORD));
      return;
    }
    // The filter's login renews the id (fixation protection), moves the session to the user's slot
    // and applies the login limit atomically, signing out the least recently active session.
    LoginResult r =
        SessionFilter.login(req, user, LoginOptions.builder().metadata(metadata(req)).build());
    if (!r.isAccepted()) {
      html(
          res,
          409,
          Pages.loginPage(
              view(req),
              "Too many sessions: sign out elsewhere first.",
              true,
              UserDirectory.DEMO_USERS,
              UserDirectory.DEMO_PASSWORD));
      return;
    }
    int evicted = ((LoginResult.Accepted) r).evicted().size();
    if (evicted > 0) {
      req.getSession()
          .setAttribute(
              FLASH,
              "Welcome, "
                  + user
                  + ". Signed out your least recently active session"
                  + (evicted == 1 ? "" : "s (" + evicted + ")")
                  + " to stay within "
                  + maxSessions
                  + " per user.");
    }
    res.setStatus(303);
    res.setHeader("Location", "/");
  }

  private void logout(HttpServletRequest req, HttpServletResponse res) throws IOException {
    HttpSession s = req.getSession(false);
    boolean ended = false;
    if (s != null) {
      s.invalidate();
      ended = true;
    }
    done(req, res, 200, JSON.createObjectNode().put("signed_out", ended));
  }

  private void logoutAll(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Optional<Session> s = requireSignedIn(req, res);
    if (s.isEmpty()) {
      return;
    }
    // Ends this session too: the next request learns why (ALL_REVOKED) from the store's tombstone.
    int n =
        services
            .sessions()
            .deleteAllForUser(s.get().userId().orElseThrow(), null, EndReason.ALL_REVOKED);
    done(req, res, 200, JSON.createObjectNode().put("sessions_ended", n));
  }

  private void changePassword(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Optional<Session> s = requireSignedIn(req, res);
    if (s.isEmpty()) {
      return;
    }
    String user = s.get().userId().orElseThrow();
    String password = req.getParameter("password");
    try {
      users.changePassword(user, password == null ? "" : password);
    } catch (IllegalArgumentException e) {
      if (wantsHtml(req)) {
        req.getSession().setAttribute(FLASH, "Password not changed: " + e.getMessage() + ".");
        redirectHome(res);
      } else {
        json(
            res,
            400,
            JSON.createObjectNode()
                .put("error", "invalid_password")
                .put("message", e.getMessage()));
      }
      return;
    }
    int others = services.sessions().listForUser(user).size() - 1;
    // One call: every token of the user issued before now is refused from here on (a watermark,
    // whatever their number), and every other session of the user ends with ALL_REVOKED.
    Instant notBefore = services.tokens().revokeAllForUser(user, s.get().id());
    String message =
        "Password changed. Signed out "
            + Math.max(others, 0)
            + " other session"
            + (others == 1 ? "" : "s")
            + " and revoked every token issued before now.";
    if (wantsHtml(req)) {
      req.getSession().setAttribute(FLASH, message);
    }
    done(
        req,
        res,
        200,
        JSON.createObjectNode()
            .put("password_changed", true)
            .put("other_sessions_ended", Math.max(others, 0))
            .put("tokens_revoked_before", notBefore.toString()));
  }

  // ---- session API ----------------------------------------------------------------------------

  private void me(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Optional<Session> s = requireSignedIn(req, res);
    if (s.isPresent()) {
      json(
          res,
          200,
          JSON.createObjectNode()
              .put("user", s.get().userId().orElseThrow())
              .put("node", node.name())
              .put("handle", s.get().handle())
              .put("createdAt", s.get().createdAt().toString())
              .put("expiresAt", s.get().expiresAt().toString()));
    }
  }

  private void sessions(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Optional<Session> s = requireSignedIn(req, res);
    if (s.isEmpty()) {
      return;
    }
    String user = s.get().userId().orElseThrow();
    ObjectNode body = JSON.createObjectNode().put("user", user).put("node", node.name());
    ArrayNode list = body.putArray("sessions");
    for (SessionInfo i : services.sessions().listForUser(user)) {
      ObjectNode o =
          list.addObject()
              .put("handle", i.handle())
              .put("current", i.handle().equals(s.get().handle()))
              .put("createdAt", i.createdAt().toString())
              .put("lastAccessedAt", i.lastAccessedAt().toString())
              .put("expiresAt", i.expiresAt().toString());
      i.metadata().deviceLabel().ifPresent(v -> o.put("device", v));
      i.metadata().address().ifPresent(v -> o.put("address", v));
    }
    json(res, 200, body);
  }

  private void revokeSession(HttpServletRequest req, HttpServletResponse res, String handle)
      throws IOException {
    Optional<Session> s = requireSignedIn(req, res);
    if (s.isEmpty()) {
      return;
    }
    // Only the caller's own sessions: the store checks that the handle belongs to this user.
    boolean revoked =
        services
            .sessions()
            .deleteByHandle(s.get().userId().orElseThrow(), handle, EndReason.REVOKED);
    if (!revoked && !wantsHtml(req)) {
      json(res, 404, JSON.createObjectNode().put("error", "unknown_session"));
      return;
    }
    if (revoked && wantsHtml(req) && !handle.equals(s.get().handle())) {
      req.getSession().setAttribute(FLASH, "Signed out the other device.");
    }
    done(req, res, 200, JSON.createObjectNode().put("revoked", revoked));
  }

  // ---- tokens ---------------------------------------------------------------------------------

  private void issueToken(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Optional<Session> s = requireSignedIn(req, res);
    if (s.isEmpty()) {
      return;
    }
    String user = s.get().userId().orElseThrow();
    RefreshToken refresh = services.refreshTokens().issue(user);
    json(res, 200, tokenResponse(jwt.issue(user), refresh, false));
  }

  private void refreshToken(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String presented = trimmed(req.getParameter("refresh_token"));
    RefreshResult r = services.refreshTokens().rotate(presented);
    if (r instanceof RefreshResult.Rotated rotated) {
      RefreshToken next = rotated.successor();
      json(res, 200, tokenResponse(jwt.issue(next.subject()), next, rotated.retry()));
    } else {
      RefreshResult.Reason reason = ((RefreshResult.Refused) r).reason();
      json(
          res,
          401,
          JSON.createObjectNode()
              .put("error", "invalid_grant")
              .put("reason", reason.name().toLowerCase(Locale.ROOT)));
    }
  }

  private ObjectNode tokenResponse(DemoJwt.Issued access, RefreshToken refresh, boolean retry) {
    ObjectNode o =
        JSON.createObjectNode()
            .put("access_token", access.token())
            .put("token_type", "Bearer")
            .put("expires_in", DemoJwt.ACCESS_TOKEN_TTL.toSeconds())
            .put("refresh_token", refresh.token())
            .put("refresh_expires_at", refresh.expiresAt().toString());
    if (retry) {
      o.put("retry", true);
    }
    return o;
  }

  private void tokenMe(HttpServletRequest req, HttpServletResponse res) throws IOException {
    // The BearerRevocationFilter mapped on this path already refused missing, forged, expired and
    // revoked tokens with a 401 naming the reason; what reaches here is a live token.
    TokenClaims c =
        BearerRevocationFilter.claims(req)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the BearerRevocationFilter is not mapped on /api/token/me"));
    json(
        res,
        200,
        JSON.createObjectNode()
            .put("user", c.subject())
            .put("node", node.name())
            .put("issuedAt", c.issuedAt().toString())
            .put("expiresAt", c.expiresAt().toString()));
  }

  private void revokeToken(HttpServletRequest req, HttpServletResponse res) throws IOException {
    // RFC 7009: the answer is the same whatever was presented, so it cannot be used as an oracle.
    bearer(req).flatMap(jwt::verify).ifPresent(services.tokens()::revoke);
    String refresh = req.getParameter("refresh_token");
    if (refresh != null && !refresh.isBlank()) {
      services.refreshTokens().revokeFamily(refresh.strip());
    }
    json(res, 200, JSON.createObjectNode().put("revoked", true));
  }

  private static Optional<String> bearer(HttpServletRequest req) {
    String h = req.getHeader("Authorization");
    if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(h.substring(7).strip());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static Optional<Session> signedIn(HttpServletRequest req) {
    return SessionFilter.currentSession(req).filter(s -> s.userId().isPresent());
  }

  /** The signed-in session, or (having answered 401 or redirected) empty. */
  private static Optional<Session> requireSignedIn(HttpServletRequest req, HttpServletResponse res)
      throws IOException {
    Optional<Session> s = signedIn(req);
    if (s.isEmpty()) {
      if (wantsHtml(req)) {
        redirectHome(res);
      } else {
        ObjectNode body = JSON.createObjectNode();
        Optional<EndReason> ended = SessionFilter.endReason(req);
        if (ended.isPresent()) {
          body.put("error", "session_ended")
              .put("reason", ended.get().name().toLowerCase(Locale.ROOT));
        } else {
          body.put("error", "no_session");
        }
        json(res, 401, body);
      }
    }
    return s;
  }

  private void notFoundOrWrongMethod(HttpServletRequest req, HttpServletResponse res, String path)
      throws IOException {
    boolean known =
        switch (path) {
          case "/",
              "/login",
              "/logout",
              "/logout-all",
              "/password",
              "/api/me",
              "/api/sessions",
              "/api/token",
              "/api/token/refresh",
              "/api/token/me",
              "/api/token/revoke" ->
              true;
          default -> REVOKE_PATH.matcher(path).matches();
        };
    if (known) {
      json(
          res,
          405,
          JSON.createObjectNode()
              .put("error", "method_not_allowed")
              .put("method", req.getMethod()));
    } else {
      json(res, 404, JSON.createObjectNode().put("error", "not_found"));
    }
  }

  private Pages.NodeView view(HttpServletRequest req) {
    String host = req.getServerName();
    String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return new Pages.NodeView(
        node.name(),
        node.server(),
        storeDescription,
        req.getScheme() + "://" + hostPart + ":" + node.otherPort().getAsInt() + "/");
  }

  private static SessionMetadata metadata(HttpServletRequest req) {
    String ua = req.getHeader("User-Agent");
    String agent = ua == null ? null : printable(ua, SessionMetadata.MAX_LENGTH);
    return SessionMetadata.of(
        agent != null && agent.startsWith("Mozilla/") ? "browser" : "api",
        deviceLabel(agent),
        agent,
        printable(req.getRemoteAddr(), SessionMetadata.MAX_LENGTH));
  }

  /** A label a user recognizes, e.g. "Chrome on Linux" or "curl". */
  static String deviceLabel(@Nullable String ua) {
    if (ua == null || ua.isBlank()) {
      return "unknown client";
    }
    String browser =
        ua.contains("Firefox/")
            ? "Firefox"
            : ua.contains("Edg/")
                ? "Edge"
                : ua.contains("HeadlessChrome/")
                    ? "Headless Chrome"
                    : ua.contains("Chrome/") ? "Chrome" : ua.contains("Safari/") ? "Safari" : null;
    if (browser == null) {
      int slash = ua.indexOf('/');
      return printable(slash > 0 ? ua.substring(0, slash) : ua, 40);
    }
    String os =
        ua.contains("Android")
            ? "Android"
            : ua.contains("iPhone") || ua.contains("iPad")
                ? "iOS"
                : ua.contains("Windows")
                    ? "Windows"
                    : ua.contains("Mac OS") ? "macOS" : ua.contains("Linux") ? "Linux" : null;
    return os == null ? browser : browser + " on " + os;
  }

  private static String printable(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }

  private static String path(HttpServletRequest req) {
    String p = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    return p.isEmpty() ? "/" : p;
  }

  private static String trimmed(@Nullable String s) {
    return s == null ? "" : s.strip();
  }

  private static boolean wantsHtml(HttpServletRequest req) {
    String accept = req.getHeader("Accept");
    return accept != null && accept.contains("text/html");
  }

  /** Browsers go back to the page, API clients get the JSON. */
  private static void done(
      HttpServletRequest req, HttpServletResponse res, int status, ObjectNode body)
      throws IOException {
    if (wantsHtml(req)) {
      redirectHome(res);
    } else {
      json(res, status, body);
    }
  }

  private static void redirectHome(HttpServletResponse res) {
    res.setStatus(303);
    res.setHeader("Location", "/");
  }

  private static void html(HttpServletResponse res, int status, String page) throws IOException {
    byte[] body = page.getBytes(StandardCharsets.UTF_8);
    res.setStatus(status);
    res.setContentType("text/html;charset=utf-8");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  private static void json(HttpServletResponse res, int status, ObjectNode node)
      throws IOException {
    byte[] body = JSON.writeValueAsBytes(node);
    res.setStatus(status);
    res.setContentType("application/json");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }
}
