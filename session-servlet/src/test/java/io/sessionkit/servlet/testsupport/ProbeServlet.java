package io.sessionkit.servlet.testsupport;

import io.sessionkit.core.AttributeEncodingException;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.SessionStore;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.SessionFilter;
import io.sessionkit.testkit.MutableClock;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * A servlet driven by its query: {@code ?do=create,set:a:1,flush,attr:a} runs each command in order
 * on the session and prints one {@code key=value} line per result. Never prints a session id, only
 * handles ({@code HttpSession.getId()}).
 *
 * <p>Commands: {@code get}, {@code create}, {@code set:name:value}, {@code setLong:name:value},
 * {@code append:name:value} (adds to a list attribute in place), {@code put:name:key:value} (puts
 * into a map attribute in place), {@code setThenAppend:name:first:second} (sets a list, then adds
 * to it), {@code attr:name}, {@code names}, {@code remove:name}, {@code bind:name}, {@code
 * setBad:name}, {@code invalidate}, {@code changeId}, {@code login:user[:deviceType]}, {@code
 * loginCarry:user:name+name}, {@code isNew}, {@code maxInactive:seconds}, {@code printMax}, {@code
 * times}, {@code endReason}, {@code signOutEverywhere}, {@code flush}, {@code write:bytes}, {@code
 * redirect}, {@code error}, {@code encodeUrl}, {@code requested}.
 */
public final class ProbeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /**
   * The clock the command {@code advance:millis} moves: the store's test clock, set by the test.
   */
  public static final AtomicReference<MutableClock> CLOCK = new AtomicReference<>();

  /**
   * slf4j-simple, the tests' logging backend, keeps no MDC (its adapter is a no-op); an application
   * would use Logback or Log4j, which do. Swaps in a per-thread adapter ({@link ThreadLocalMdc}) so
   * that the command {@code mdc:label} can show what the filter put there.
   */
  public static synchronized void enableMdc() {
    if (MDC.getMDCAdapter() instanceof NOPMDCAdapter) {
      try {
        Field f = MDC.class.getDeclaredField("MDC_ADAPTER");
        f.setAccessible(true);
        f.set(null, new ThreadLocalMdc());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot install an MDC adapter for the test", e);
      }
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain");
    String charset = req.getParameter("charset");
    resp.setCharacterEncoding(charset == null ? "UTF-8" : charset);
    String commands = req.getParameter("do");
    if (commands == null) {
      resp.getWriter().println("ok");
      return;
    }
    runAll(List.of(commands.split(",")), req, resp);
  }

  /**
   * Runs commands in order. {@code asyncRest} starts asynchronous processing and runs the commands
   * after it on another thread, on {@code AsyncContext.getRequest()} and {@code getResponse()} (as
   * frameworks do), then completes the AsyncContext.
   */
  private void runAll(List<String> commands, HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    for (int i = 0; i < commands.size(); i++) {
      String[] a = commands.get(i).split(":", -1);
      if (a[0].equals("asyncRest")) {
        List<String> rest = commands.subList(i + 1, commands.size());
        AsyncContext ac = req.startAsync();
        ac.start(
            () -> {
              try {
                runAll(
                    rest,
                    (HttpServletRequest) ac.getRequest(),
                    (HttpServletResponse) ac.getResponse());
              } catch (IOException | RuntimeException e) {
                try {
                  ((HttpServletResponse) ac.getResponse()).getWriter().println("asyncError=" + e);
                } catch (IOException | RuntimeException ignored) {
                  // The response is gone; the test sees the missing line.
                }
              } finally {
                ac.complete();
              }
            });
        return;
      }
      if (!run(a, req, resp, resp.getWriter())) {
        return;
      }
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    doGet(req, resp);
  }

  private boolean run(String[] a, HttpServletRequest req, HttpServletResponse resp, PrintWriter out)
      throws IOException {
    switch (a[0]) {
      case "get" -> {
        HttpSession s = req.getSession(false);
        out.println("session=" + (s == null ? "none" : s.getId()));
      }
      case "create" -> out.println("new=" + req.getSession().isNew());
      case "set" -> req.getSession().setAttribute(a[1], a[2]);
      case "setLong" -> req.getSession().setAttribute(a[1], Long.parseLong(a[2]));
      case "append" -> {
        HttpSession s = req.getSession();
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) s.getAttribute(a[1]);
        if (list == null) {
          s.setAttribute(a[1], new ArrayList<>(List.of(a[2])));
        } else {
          list.add(a[2]);
        }
      }
      case "put" -> {
        // Changes a map attribute in place (creates it if absent): put:name:key:value.
        HttpSession s = req.getSession();
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) s.getAttribute(a[1]);
        if (map == null) {
          s.setAttribute(a[1], new LinkedHashMap<>(Map.of(a[2], a[3])));
        } else {
          map.put(a[2], a[3]);
        }
      }
      case "setThenAppend" -> {
        // Sets a new list, then changes it after setAttribute: setThenAppend:name:first:second.
        List<Object> list = new ArrayList<>(List.of(a[2]));
        req.getSession().setAttribute(a[1], list);
        list.add(a[3]);
      }
      case "attr" -> {
        HttpSession s = req.getSession(false);
        try {
          out.println(a[1] + "=" + (s == null ? "nosession" : s.getAttribute(a[1])));
        } catch (IllegalStateException e) {
          out.println(a[1] + "=ise");
        }
      }
      case "names" -> {
        HttpSession s = req.getSession(false);
        List<String> names = s == null ? List.of() : Collections.list(s.getAttributeNames());
        out.println("names=" + names.stream().sorted().toList());
      }
      case "remove" -> req.getSession().removeAttribute(a[1]);
      case "bind" -> req.getSession().setAttribute(a[1], new BoundValue("v"));
      case "bindThrowing" ->
          req.getSession().setAttribute(a[1], new BoundValue(BoundValue.THROWING));
      case "advance" -> CLOCK.get().advance(Duration.ofMillis(Long.parseLong(a[1])));
      case "maxAfterInvalidate" -> {
        HttpSession s = req.getSession();
        s.invalidate();
        s.setMaxInactiveInterval(60);
        out.println("maxAfterInvalidate=ignored");
      }
      case "newInvalidatedId" -> {
        HttpSession s = req.getSession();
        s.invalidate();
        String first = s.getId();
        out.println(
            "newInvalidatedId="
                + (first.isEmpty() ? "empty" : first.equals(s.getId()) ? "stable" : "unstable"));
      }
      case "requestedId" -> out.println("requestedId=" + req.getRequestedSessionId());
      case "setBad" -> {
        try {
          req.getSession().setAttribute(a[1], new Object());
          out.println("encodingError=none");
        } catch (AttributeEncodingException e) {
          out.println("encodingError=" + e.attributeName());
        }
      }
      case "invalidate" -> {
        HttpSession s = req.getSession(false);
        if (s != null) {
          s.invalidate();
          try {
            s.getAttribute("x");
            out.println("afterInvalidate=usable");
          } catch (IllegalStateException e) {
            out.println("afterInvalidate=ise");
          }
        }
      }
      case "changeId" -> {
        String before = req.getSession().getId();
        String after = req.changeSessionId();
        out.println("changed=" + !before.equals(after));
      }
      case "login" -> {
        LoginOptions options =
            a.length > 2
                ? LoginOptions.builder().metadata(SessionMetadata.ofDeviceType(a[2])).build()
                : LoginOptions.defaults();
        LoginResult r = SessionFilter.login(req, a[1], options);
        out.println("login=" + (r.isAccepted() ? "accepted" : "rejected"));
      }
      case "loginCarry" -> {
        LoginOptions options = LoginOptions.builder().carryOnly(a[2].split("\\+")).build();
        LoginResult r = SessionFilter.login(req, a[1], options);
        out.println("login=" + (r.isAccepted() ? "accepted" : "rejected"));
      }
      case "user" ->
          out.println(
              "user=" + SessionFilter.currentSession(req).flatMap(s -> s.userId()).orElse("none"));
      case "isNew" -> out.println("isNew=" + req.getSession().isNew());
      case "maxInactive" -> req.getSession().setMaxInactiveInterval(Integer.parseInt(a[1]));
      case "printMax" -> out.println("max=" + req.getSession().getMaxInactiveInterval());
      case "times" -> {
        HttpSession s = req.getSession();
        out.println("created=" + s.getCreationTime());
        out.println("lastAccessed=" + s.getLastAccessedTime());
      }
      case "endReason" ->
          out.println(
              "endReason="
                  + SessionFilter.endReason(req)
                      .map(r -> r.name().toLowerCase(Locale.ROOT))
                      .orElse("none")
                  + " attribute="
                  + (req.getAttribute(SessionFilter.END_REASON_ATTRIBUTE) instanceof EndReason));
      case "signOutEverywhere" -> {
        SessionStore store =
            (SessionStore) getServletContext().getAttribute(SessionFilter.STORE_ATTRIBUTE);
        String user = SessionFilter.currentSession(req).flatMap(s -> s.userId()).orElseThrow();
        int n = store.deleteAllForUser(user, null, EndReason.ALL_REVOKED);
        out.println("ended=" + n);
      }
      case "fixate" -> {
        resp.addCookie(new Cookie(CookieSettings.DEFAULT_NAME, "attacker"));
        resp.addHeader("Set-Cookie", CookieSettings.DEFAULT_NAME + "=attacker; Path=/");
      }
      case "async" -> {
        AsyncContext ac = req.startAsync();
        ac.start(
            () -> {
              try {
                req.getSession().setAttribute(a[1], a[2]);
                ac.getResponse().getWriter().println("async=done");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                ac.complete();
              }
            });
        return false;
      }
      case "await" -> Gate.pass(a[1]);
      case "mdc" -> out.println("mdc." + a[1] + "=" + MDC.get(SessionFilter.MDC_KEY));
      case "setHeader" -> resp.setHeader(a[1], a[2]);
      case "addHeader" -> resp.addHeader(a[1], a[2]);
      case "reset" -> resp.reset();
      case "contentLength" -> {
        // Runs the commit guard before the real commit; the body is exactly "ok".
        resp.setContentLength(2);
      }
      case "ok" -> {
        out.print("ok");
        out.flush();
        return false;
      }
      case "flush" -> resp.flushBuffer();
      case "flushWriter" -> out.flush();
      case "write" -> {
        int n = Integer.parseInt(a[1]);
        char[] chunk = new char[Math.min(n, 1024)];
        Arrays.fill(chunk, 'x');
        for (int left = n; left > 0; left -= chunk.length) {
          out.write(chunk, 0, Math.min(left, chunk.length));
        }
        out.println();
      }
      case "redirect" -> {
        resp.sendRedirect("/app/landing");
        return false;
      }
      case "error" -> {
        resp.sendError(409);
        return false;
      }
      case "encodeUrl" ->
          out.println("encoded=" + resp.encodeURL("/x?y=1") + " " + resp.encodeRedirectURL("/z"));
      case "requested" ->
          out.println(
              "requested="
                  + req.isRequestedSessionIdValid()
                  + " fromUrl="
                  + req.isRequestedSessionIdFromURL());
      default -> throw new IllegalArgumentException("unknown command " + a[0]);
    }
    return true;
  }
}
