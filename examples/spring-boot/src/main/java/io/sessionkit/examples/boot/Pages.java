package io.sessionkit.examples.boot;

import io.sessionkit.spring.security.SignOutEverywhere;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The sample's pages, plain HTML: home (a counter in the session), devices (the user's sessions on
 * every instance, through Spring Security's {@link SessionRegistry}, which the starter makes
 * cluster-wide) and the login page, which says why a user was signed out.
 */
@RestController
class Pages {
  private static final Map<String, String> REASONS =
      Map.of(
          "replaced", "You were signed out because you signed in on another device.",
          "revoked", "This device was signed out from another one.",
          "all_revoked", "You signed out everywhere.",
          "logout", "You signed out.",
          "idle_timeout", "You were signed out after 30 minutes without activity.",
          "absolute_timeout", "Your session reached its 12-hour limit.",
          "expired", "Your session expired.");

  private final SessionRegistry sessions;
  private final SignOutEverywhere signOutEverywhere;
  private final Environment environment;

  Pages(SessionRegistry sessions, SignOutEverywhere signOutEverywhere, Environment environment) {
    this.sessions = sessions;
    this.signOutEverywhere = signOutEverywhere;
    this.environment = environment;
  }

  @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
  String login(
      @RequestParam(name = "reason", required = false) @Nullable String reason,
      @RequestParam(name = "error", required = false) @Nullable String error,
      CsrfToken csrf) {
    String message =
        error != null
            ? "Wrong user name or password."
            : reason != null ? REASONS.get(reason) : null;
    return page(
        "Sign in",
        (message == null ? "" : "<p id=\"reason\">" + esc(message) + "</p>")
            + "<form id=\"login-form\" method=\"post\" action=\"/login\">"
            + "<label>User <input id=\"username\" name=\"username\" value=\"alice\"></label> "
            + "<label>Password <input id=\"password\" name=\"password\" type=\"password\" value=\"demo\"></label> "
            + hidden(csrf)
            + "<button id=\"sign-in\">Sign in</button></form>"
            + "<p>Users: alice and bob, password <code>demo</code>.</p>");
  }

  @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
  String home(Principal user, HttpSession session, CsrfToken csrf) {
    Integer count = (Integer) session.getAttribute("count");
    return page(
        "Home",
        "<p>Signed in as <b id=\"user\">"
            + esc(user.getName())
            + "</b>.</p>"
            + "<p>Counter in your session: <b id=\"count\">"
            + (count == null ? 0 : count)
            + "</b></p>"
            + "<form method=\"post\" action=\"/count\">"
            + hidden(csrf)
            + "<button id=\"increment\">+1</button></form>"
            + "<p><a id=\"devices\" href=\"/devices\">Your devices</a></p>"
            + "<form method=\"post\" action=\"/logout\">"
            + hidden(csrf)
            + "<button id=\"sign-out\">Sign out</button></form>");
  }

  @PostMapping("/count")
  ResponseEntity<Void> count(HttpSession session) {
    Integer count = (Integer) session.getAttribute("count");
    session.setAttribute("count", count == null ? 1 : count + 1);
    return seeOther("/");
  }

  @GetMapping(value = "/devices", produces = MediaType.TEXT_HTML_VALUE)
  String devices(Authentication user, HttpSession session, CsrfToken csrf) {
    List<SessionInformation> all =
        sessions.getAllSessions(user.getPrincipal(), false).stream()
            .sorted(Comparator.comparing(SessionInformation::getLastRequest).reversed())
            .toList();
    StringBuilder rows = new StringBuilder();
    for (SessionInformation s : all) {
      boolean current = s.getSessionId().equals(session.getId());
      rows.append("<li class=\"device\">")
          .append(esc(s.getSessionId()))
          .append(current ? " <b>(this device)</b>" : "")
          .append(" last seen ")
          .append(s.getLastRequest().toInstant())
          .append(
              current
                  ? ""
                  : " <form style=\"display:inline\" method=\"post\" action=\"/devices/"
                      + esc(s.getSessionId())
                      + "/sign-out\">"
                      + hidden(csrf)
                      + "<button>Sign out</button></form>")
          .append("</li>");
    }
    return page(
        "Your devices",
        "<p>Signed in on <b id=\"device-count\">"
            + all.size()
            + "</b> device(s), on every instance.</p><ul>"
            + rows
            + "</ul>"
            + "<form method=\"post\" action=\"/devices/sign-out-others\">"
            + hidden(csrf)
            + "<button id=\"sign-out-others\">Sign out all other devices</button></form><p><a href=\"/\">Home</a></p>");
  }

  @PostMapping("/devices/{handle}/sign-out")
  ResponseEntity<Void> signOutDevice(@PathVariable("handle") String handle, Authentication user) {
    // Only the user's own sessions are listed, and only those can be ended.
    for (SessionInformation s : sessions.getAllSessions(user.getPrincipal(), false)) {
      if (s.getSessionId().equals(handle)) {
        s.expireNow();
      }
    }
    return seeOther("/devices");
  }

  @PostMapping("/devices/sign-out-others")
  ResponseEntity<Void> signOutOthers(HttpServletRequest request, Authentication user) {
    signOutEverywhere.signOut(request, user, true);
    return seeOther("/devices");
  }

  private String page(String title, String body) {
    String node =
        environment.getProperty(
            "sample.node", "port " + environment.getProperty("local.server.port"));
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
        + esc(title)
        + "</title></head><body>"
        + "<p>Instance <b id=\"node-name\">"
        + esc(node)
        + "</b></p><h1>"
        + esc(title)
        + "</h1>"
        + body
        + "</body></html>";
  }

  private static String hidden(CsrfToken csrf) {
    return "<input type=\"hidden\" name=\""
        + esc(csrf.getParameterName())
        + "\" value=\""
        + esc(csrf.getToken())
        + "\">";
  }

  private static ResponseEntity<Void> seeOther(String location) {
    return ResponseEntity.status(303).header("Location", location).build();
  }

  private static String esc(String s) {
    return HtmlUtils.htmlEscape(s);
  }
}
