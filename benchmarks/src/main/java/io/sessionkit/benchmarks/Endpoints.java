package io.sessionkit.benchmarks;

import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.session.FindByIndexNameSessionRepository;

/**
 * The three endpoints every app of the comparison serves, written once against {@link HttpSession}
 * so that each app differs only by the filter in front:
 *
 * <ul>
 *   <li>{@code /login}: creates a session with a user and 4 small attributes;
 *   <li>{@code /read}: reads one attribute and writes it in the body;
 *   <li>{@code /write}: changes one attribute.
 * </ul>
 *
 * <p>Every response has a Content-Length and a short body the load generator checks, so that an app
 * that lost its session is counted as failing, not as fast.
 */
final class Endpoints extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The body of a {@code /read} that found its session: the value of attribute {@code a1}. */
  static final String READ_BODY = "value-1";

  static final String OK_BODY = "ok";

  /** How the user is bound to the session: the one thing that differs by library. */
  enum Login {
    /** No session at all: the ceiling. */
    NONE,
    /** SessionKit: {@link SessionFilter#login}, which also renews the id. */
    SESSIONKIT,
    /** Spring Session: the principal-name attribute its indexed repository indexes by. */
    SPRING
  }

  private final Login login;
  private final AtomicLong users = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();

  Endpoints(Login login) {
    this.login = login;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    switch (req.getServletPath()) {
      case "/login" -> login(req, resp);
      case "/read" -> read(req, resp);
      case "/write" -> write(req, resp);
      default -> resp.sendError(404);
    }
  }

  private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String user = "user-" + users.incrementAndGet();
    HttpSession s;
    switch (login) {
      case NONE -> {
        send(resp, OK_BODY);
        return;
      }
      case SESSIONKIT -> {
        SessionFilter.login(req, user);
        s = req.getSession();
      }
      default -> {
        s = req.getSession(true);
        s.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, user);
      }
    }
    s.setAttribute("a1", READ_BODY);
    s.setAttribute("a2", "value-2");
    s.setAttribute("a3", 3);
    s.setAttribute("a4", "en-GB");
    send(resp, OK_BODY);
  }

  private void read(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (login == Login.NONE) {
      send(resp, READ_BODY);
      return;
    }
    HttpSession s = req.getSession(false);
    Object v = s == null ? null : s.getAttribute("a1");
    if (v == null) {
      resp.setStatus(401);
      send(resp, "no session");
      return;
    }
    send(resp, v.toString());
  }

  private void write(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (login == Login.NONE) {
      send(resp, OK_BODY);
      return;
    }
    HttpSession s = req.getSession(false);
    if (s == null) {
      resp.setStatus(401);
      send(resp, "no session");
      return;
    }
    s.setAttribute("a2", "value-" + writes.incrementAndGet());
    send(resp, OK_BODY);
  }

  private static void send(HttpServletResponse resp, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.US_ASCII);
    resp.setContentType("text/plain");
    resp.setContentLength(b.length);
    resp.getOutputStream().write(b);
  }
}
