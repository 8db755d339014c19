package io.sessionkit.examples;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The demo's HTML: the sign-in form and the signed-in page. Every value shown is escaped. */
final class Pages {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private static final String STYLE =
      """
      body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
      h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
      .node{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;color:#fff;font-weight:600}
      .node-A{background:#2563eb}.node-B{background:#16a34a}
      .msg{padding:.6rem .8rem;border-radius:.3rem;background:#fef3c7;border:1px solid #f59e0b}
      .err{background:#fee2e2;border-color:#ef4444}.ok{background:#dcfce7;border-color:#22c55e}
      table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #ddd}
      form.inline{display:inline}button{cursor:pointer}label{display:block;margin:.4rem 0}
      .muted{color:#666;font-size:.9rem}code{background:#f3f4f6;padding:0 .2rem}
      """;

  private Pages() {}

  /** What every page shows about the node that served it. */
  record NodeView(String name, String server, String store, String otherNodeUrl) {}

  static String loginPage(
      NodeView node,
      @Nullable String message,
      boolean error,
      List<String> demoUsers,
      String demoPassword) {
    StringBuilder b = head(node, "Sign in");
    if (message != null) {
      b.append("<p id=\"message\" class=\"msg")
          .append(error ? " err" : "")
          .append("\">")
          .append(esc(message))
          .append("</p>\n");
    }
    b.append(
        """
        <form id="login-form" method="post" action="/login">
          <label>User <input id="user-input" name="user" autocomplete="username" required></label>
          <label>Password <input id="password-input" name="password" type="password"
                 autocomplete="current-password" required></label>
          <button id="login-button" type="submit">Sign in</button>
        </form>
        """);
    b.append("<p class=\"muted\">Demo users: ");
    for (int i = 0; i < demoUsers.size(); i++) {
      b.append(i == 0 ? "" : " and ")
          .append("<code>")
          .append(esc(demoUsers.get(i)))
          .append("</code>");
    }
    b.append(", password <code>").append(esc(demoPassword)).append("</code>.</p>\n");
    return foot(b, node);
  }

  static String homePage(
      NodeView node,
      Session session,
      List<SessionInfo> devices,
      @Nullable String flash,
      int maxSessions,
      Instant now) {
    String user = session.userId().orElse("?");
    StringBuilder b = head(node, "Signed in");
    if (flash != null) {
      b.append("<p id=\"message\" class=\"msg ok\">").append(esc(flash)).append("</p>\n");
    }
    b.append("<p>Signed in as <strong id=\"user\">").append(esc(user)).append("</strong>.</p>\n");
    b.append("<table id=\"session\">\n")
        .append(row("Session handle", "<code id=\"handle\">" + esc(session.handle()) + "</code>"))
        .append(row("Created", esc(TIME.format(session.createdAt()))))
        .append(
            row(
                "Expires",
                "<span id=\"expires\">"
                    + esc(TIME.format(session.expiresAt()))
                    + "</span> ("
                    + esc(in(now, session.expiresAt()))
                    + ", sooner if idle)"))
        .append("</table>\n");

    b.append("<h2>Your devices (at most ")
        .append(maxSessions)
        .append(")</h2>\n<table id=\"devices\">\n")
        .append("<tr><th>Device</th><th>Signed in</th><th>Last active</th><th></th></tr>\n");
    for (SessionInfo d : devices) {
      boolean current = d.handle().equals(session.handle());
      String label =
          d.metadata().deviceLabel().orElse("unknown device")
              + d.metadata().address().map(a -> " from " + a).orElse("");
      b.append("<tr class=\"device")
          .append(current ? " current" : "")
          .append("\"><td>")
          .append(esc(label))
          .append(current ? " <strong>(this device)</strong>" : "")
          .append("<br><span class=\"muted\">")
          .append(esc(d.handle()))
          .append("</span></td><td>")
          .append(esc(TIME.format(d.createdAt())))
          .append("</td><td>")
          .append(esc(TIME.format(d.lastAccessedAt())))
          .append("</td><td>");
      String action = current ? "/logout" : "/api/sessions/" + esc(d.handle()) + "/revoke";
      b.append("<form class=\"inline\" method=\"post\" action=\"")
          .append(action)
          .append("\"><button type=\"submit\">Sign out</button></form></td></tr>\n");
    }
    b.append("</table>\n");

    b.append(
        """
        <h2>Everywhere</h2>
        <form class="inline" method="post" action="/logout-all">
          <button id="logout-all" type="submit">Sign out everywhere</button>
        </form>
        <h2>Change password</h2>
        <p class="muted">Signs out every other session of yours and revokes every token issued before now.</p>
        <form id="password-form" method="post" action="/password">
          <label>New password <input id="new-password" name="password" type="password"
                 autocomplete="new-password" required minlength="4"></label>
          <button id="password-button" type="submit">Change password</button>
        </form>
        """);
    return foot(b, node);
  }

  /** What to tell a browser whose session ended. */
  static String endedMessage(EndReason reason, int maxSessions) {
    return switch (reason) {
      case LOGOUT -> "You signed out.";
      case REPLACED ->
          "You were signed out because you signed in elsewhere (at most "
              + maxSessions
              + " sessions per user; the least recently active one makes room).";
      case ALL_REVOKED ->
          "You were signed out everywhere: your password was changed, or someone chose"
              + " \"sign out everywhere\".";
      case REVOKED -> "This session was signed out from another device.";
      case IDLE_TIMEOUT -> "Your session ended after a period of inactivity.";
      case ABSOLUTE_TIMEOUT -> "Your session reached its maximum lifetime.";
    };
  }

  private static StringBuilder head(NodeView node, String title) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(esc(title))
        .append(" · SessionKit demo · node ")
        .append(esc(node.name()))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n")
        .append("<h1>SessionKit demo <span id=\"node\" class=\"node node-")
        .append(esc(node.name()))
        .append("\">node ")
        .append(esc(node.name()))
        .append("</span></h1>\n")
        .append("<p class=\"muted\">Served by node <strong id=\"node-name\">")
        .append(esc(node.name()))
        .append("</strong> (")
        .append(esc(node.server()))
        .append("), sessions in the ")
        .append(esc(node.store()))
        .append(".</p>\n");
    return b;
  }

  private static String foot(StringBuilder b, NodeView node) {
    String other = node.name().equals("A") ? "B" : "A";
    b.append("<p><a id=\"other-node\" href=\"")
        .append(esc(node.otherNodeUrl()))
        .append("\">Open this page on node ")
        .append(other)
        .append("</a> (same browser, same cookie: the session is shared)</p>\n</body></html>\n");
    return b.toString();
  }

  private static String row(String name, String html) {
    return "<tr><th>" + esc(name) + "</th><td>" + html + "</td></tr>\n";
  }

  private static String in(Instant now, Instant then) {
    Duration d = Duration.between(now, then);
    if (d.isNegative()) {
      return "now";
    }
    long m = d.toMinutes();
    return m >= 120
        ? "in " + d.toHours() + " h"
        : m >= 1 ? "in " + m + " min" : "in " + d.toSeconds() + " s";
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
