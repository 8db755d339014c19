package io.sessionkit.examples;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.micrometer.SessionKitMetrics;
import io.sessionkit.servlet.BearerRevocationFilter;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.SimpleInstanceManager;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * The running demo: node A on embedded Jetty 12, node B on embedded Tomcat 11, both serving {@link
 * DemoServlet} behind a {@link SessionFilter}, both on one session store (in memory, or the same
 * Redis). Started by {@link DemoApp}, and by the integration tests on free ports.
 */
final class Demo implements AutoCloseable {
  /** Where the nodes listen: the loopback interface only, this is a demo. */
  static final String HOST = "127.0.0.1";

  private final DemoSettings settings;
  private final DemoBackend backend;
  private final Server jetty;
  private final Tomcat tomcat;
  private final int portA;
  private final int portB;

  private Demo(
      DemoSettings settings,
      DemoBackend backend,
      Server jetty,
      Tomcat tomcat,
      int portA,
      int portB) {
    this.settings = settings;
    this.backend = backend;
    this.jetty = jetty;
    this.tomcat = tomcat;
    this.portA = portA;
    this.portB = portB;
  }

  /**
   * Starts both nodes.
   *
   * @throws IllegalStateException if a node cannot start (port taken, Redis unreachable)
   */
  static Demo start(DemoSettings settings, Clock clock) {
    SessionConfig sessionConfig =
        SessionConfig.builder()
            .ttlPolicy(
                TtlPolicy.idleAndAbsolute(settings.idleTimeout(), settings.absoluteTimeout()))
            // Kick-out: a login beyond the limit signs out the user's least recently active
            // session.
            .loginPolicy(
                LoginPolicy.maxSessionsPerUser(settings.maxSessionsPerUser(), OnLimit.EVICT_OLDEST))
            .clock(clock)
            .build();
    RevocationConfig revocationConfig = RevocationConfig.builder().clock(clock).build();
    // Meters of both nodes in one registry (they share this process), scraped at /metrics.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SessionKitMetrics metrics = SessionKitMetrics.create(registry);
    DemoBackend backend =
        settings.redisUri() == null
            ? DemoBackend.inMemory(sessionConfig, revocationConfig, metrics)
            : DemoBackend.redis(settings.redisUri(), sessionConfig, revocationConfig, metrics);
    UserDirectory users = UserDirectory.withDemoUsers();
    // One signing key for both nodes: they run in this process. Real nodes would share a key (or
    // a key set) through their configuration.
    DemoJwt jwt = DemoJwt.withRandomSecret(clock);
    AtomicInteger boundA = new AtomicInteger(settings.portA());
    AtomicInteger boundB = new AtomicInteger(settings.portB());
    Server jetty = null;
    Tomcat tomcat = null;
    try {
      DemoServlet servletA =
          new DemoServlet(
              new DemoServlet.NodeInfo("A", "Jetty 12", boundB::get),
              backend.forNode(),
              backend.description(),
              users,
              jwt,
              settings.maxSessionsPerUser());
      DemoServlet servletB =
          new DemoServlet(
              new DemoServlet.NodeInfo("B", "Tomcat 11", boundA::get),
              backend.forNode(),
              backend.description(),
              users,
              jwt,
              settings.maxSessionsPerUser());
      jetty = startJetty(settings.portA(), initializer(servletA, settings, registry));
      boundA.set(((ServerConnector) jetty.getConnectors()[0]).getLocalPort());
      tomcat = startTomcat(settings.portB(), initializer(servletB, settings, registry));
      boundB.set(tomcat.getConnector().getLocalPort());
      return new Demo(settings, backend, jetty, tomcat, boundA.get(), boundB.get());
    } catch (RuntimeException e) {
      stopQuietly(jetty, tomcat);
      backend.close();
      throw e;
    }
  }

  /**
   * What each node's context runs at start: the session filter, registered with its one-line
   * builder, and the demo's servlet. The same on Jetty and Tomcat.
   */
  private static ServletContainerInitializer initializer(
      DemoServlet servlet, DemoSettings settings, PrometheusMeterRegistry registry) {
    return (Set<Class<?>> classes, ServletContext ctx) -> {
      SessionFilter.builder(servlet.services().sessions())
          .cookie(cookie(settings))
          // JSON clients of these paths get {"error":"session_ended","reason":"replaced"} and a 401
          // straight from the filter when their session was ended elsewhere.
          .rejectEndedSessions("/api/me", "/api/sessions")
          .register(ctx);
      // Bearer tokens: the demo's own JWT check (signature, algorithm, issuer), then revocation.
      BearerRevocationFilter.builder(servlet.services().tokens(), servlet.tokenVerifier())
          .requireToken(true)
          .register(ctx, "/api/token/me");
      ServletRegistration.Dynamic r = ctx.addServlet("demo", servlet);
      r.addMapping("/*");
      // The meters in Prometheus's text format, for a scraper (and the dashboard in the docs).
      ctx.addServlet("metrics", new MetricsServlet(registry)).addMapping("/metrics");
    };
  }

  private static CookieSettings cookie(DemoSettings settings) {
    if (!settings.plainHttpCookie()) {
      // The library's defaults: __Host-sid, Secure, HttpOnly, SameSite=Lax, Path=/. Browsers keep
      // Secure cookies from http://localhost, which is where the demo runs.
      return CookieSettings.defaults();
    }
    // Relaxed on request (--plain-http-cookie) for plain HTTP on a host other than localhost, where
    // a browser would drop a Secure cookie. Never do this in production.
    return CookieSettings.builder().name("sessionkit-demo").secure(false).build();
  }

  private static Server startJetty(int port, ServletContainerInitializer init) {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(HOST);
    connector.setPort(port);
    server.addConnector(connector);
    // No SESSIONS option: Jetty's own session handling stays off, the filter provides sessions.
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServletContainerInitializer(init);
    server.setHandler(context);
    try {
      server.start();
      return server;
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // already failing
      }
      throw new IllegalStateException(
          "node A (Jetty) could not start on " + HOST + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private static Tomcat startTomcat(int port, ServletContainerInitializer init) {
    Tomcat tomcat = new Tomcat();
    try {
      tomcat.setBaseDir(Files.createTempDirectory("sessionkit-demo-tomcat").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", HOST);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    // No annotation scanning (and so no need for tomcat-annotations-api); the filter and servlet
    // are instances the initializer hands over.
    context.setIgnoreAnnotations(true);
    context.setInstanceManager(new SimpleInstanceManager());
    context.addServletContainerInitializer(init, null);
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      stopQuietly(null, tomcat);
      throw new IllegalStateException("node B (Tomcat) could not start on " + HOST + ":" + port, e);
    }
    if (connector.getLocalPort() <= 0) {
      stopQuietly(null, tomcat);
      throw new IllegalStateException(
          "node B (Tomcat) could not listen on "
              + HOST
              + ":"
              + port
              + " (is the port taken? choose another with --port-b)");
    }
    return tomcat;
  }

  int portA() {
    return portA;
  }

  int portB() {
    return portB;
  }

  String urlA() {
    return "http://localhost:" + portA + "/";
  }

  String urlB() {
    return "http://localhost:" + portB + "/";
  }

  DemoSettings settings() {
    return settings;
  }

  DemoBackend backend() {
    return backend;
  }

  @Override
  public void close() {
    stopQuietly(jetty, tomcat);
    backend.close();
  }

  private static void stopQuietly(@Nullable Server jetty, @Nullable Tomcat tomcat) {
    if (jetty != null) {
      try {
        jetty.stop();
      } catch (Exception e) {
        // shutting down
      }
    }
    if (tomcat != null) {
      try {
        tomcat.stop();
        tomcat.destroy();
      } catch (LifecycleException e) {
        // shutting down
      }
      deleteQuietly(tomcat.getServer().getCatalinaBase().toPath());
    }
  }

  /** Removes Tomcat's temporary base directory, best effort. */
  static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
