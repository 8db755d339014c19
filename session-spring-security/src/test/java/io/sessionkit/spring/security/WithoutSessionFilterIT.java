package io.sessionkit.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.spring.security.app.Client;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;

/**
 * A request that did not pass through SessionFilter (the filter is missing, or ordered after Spring
 * Security): login and logout fail loudly instead of working on a container session that no other
 * server knows.
 */
class WithoutSessionFilterIT {
  /** Calls SessionKit's login and logout on a request that no SessionFilter handled. */
  private static final class Probe extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient AtomicReference<Throwable> login;
    private final transient AtomicReference<Throwable> logout;

    Probe(AtomicReference<Throwable> login, AtomicReference<Throwable> logout) {
      this.login = login;
      this.logout = logout;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      req.getSession(true);
      try {
        SessionKitAuthenticationStrategy.defaults()
            .onAuthentication(
                UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()),
                req,
                resp);
      } catch (RuntimeException e) {
        login.set(e);
      }
      try {
        new SessionKitLogoutHandler().logout(req, resp, null);
      } catch (RuntimeException e) {
        logout.set(e);
      }
      resp.getWriter().write("done");
    }
  }

  @Test
  void loginAndLogoutRefuseARequestThatBypassedTheSessionFilter() throws Exception {
    AtomicReference<Throwable> login = new AtomicReference<>();
    AtomicReference<Throwable> logout = new AtomicReference<>();
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("sessionkit-nofilter").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    context.setIgnoreAnnotations(true);
    context.addServletContainerInitializer(
        (classes, servletContext) ->
            servletContext.addServlet("probe", new Probe(login, logout)).addMapping("/probe"),
        null);
    tomcat.start();
    try {
      HttpResponse<String> r =
          new Client()
              .get(
                  URI.create(
                      "http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/probe"));
      assertThat(r.body()).isEqualTo("done");
      for (Throwable t : new Throwable[] {login.get(), logout.get()}) {
        assertThatThrownBy(
                () -> {
                  throw t;
                })
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("ahead of Spring Security's filter chain");
      }
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }
}
