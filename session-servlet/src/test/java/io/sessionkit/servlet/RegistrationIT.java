package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.servlet.testsupport.AnnotatedHttpListener;
import io.sessionkit.servlet.testsupport.Browser;
import io.sessionkit.servlet.testsupport.Container;
import io.sessionkit.servlet.testsupport.RecordingHttpListener;
import io.sessionkit.servlet.testsupport.ServletServer;
import io.sessionkit.servlet.testsupport.StoreBootstrap;
import io.sessionkit.servlet.testsupport.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.catalina.Context;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The three ways to register {@link SessionFilter}, each shown working over HTTP. */
class RegistrationIT {

  private static void assertSessionWorks(ServletServer server, String cookieName) {
    Browser b = new Browser(cookieName);
    Browser.Response created = b.get(server.uri("/app/probe?do=create,set:a:1"));
    assertThat(created.setCookies(cookieName)).hasSize(1);
    assertThat(b.cookie()).isNotNull();
    assertThat(b.get(server.uri("/app/probe?do=attr:a,isNew")).body())
        .contains("a=1")
        .contains("isNew=false");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void oneLineBuilderRegistration(Container container) {
    try (SessionStore store = InMemorySessionStore.create(SessionConfig.defaults());
        ServletServer server =
            container.start(
                (classes, ctx) -> {
                  SessionFilter.builder(store).register(ctx);
                  TestApp.addProbe(ctx);
                })) {
      assertSessionWorks(server, CookieSettings.DEFAULT_NAME);
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void servletContextAddFilterRegistration(Container container) {
    try (SessionStore store = InMemorySessionStore.create(SessionConfig.defaults());
        ServletServer server =
            container.start(
                (classes, ctx) -> {
                  SessionFilter filter =
                      SessionFilter.builder(store)
                          .cookie(CookieSettings.builder().name("__Host-added").build())
                          .build();
                  ctx.addFilter("sessionkit", filter)
                      .addMappingForUrlPatterns(SessionFilter.dispatcherTypes(), false, "/*");
                  TestApp.addProbe(ctx);
                })) {
      assertSessionWorks(server, "__Host-added");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void webXmlRegistrationReadsTheStoreFromTheContextAndSettingsFromInitParameters(
      Container container) throws URISyntaxException {
    try (SessionStore store = InMemorySessionStore.create(SessionConfig.defaults())) {
      StoreBootstrap.STORE.set(store);
      Path docBase =
          Path.of(RegistrationIT.class.getResource("/webxml-app/WEB-INF/web.xml").toURI())
              .getParent()
              .getParent();
      RecordingHttpListener.EVENTS.clear();
      try (ServletServer server =
          container == Container.JETTY ? startJettyWebApp(docBase) : startTomcatWebApp(docBase)) {
        assertSessionWorks(server, "__Host-webxml");
        // The <listener> of web.xml is called as the container would call it.
        assertThat(RecordingHttpListener.EVENTS).containsExactly("added:a=1", "created");
        Browser b = new Browser("__Host-webxml");
        Browser.Response r = b.get(server.uri("/app/probe?do=create,get"));
        assertThat(r.setCookies("__Host-webxml").get(0)).contains("SameSite=Strict");
      }
    }
  }

  private static URI probe(ServletServer server, String commands) {
    return server.uri("/app/probe?do=" + URLEncoder.encode(commands, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void sessionListenersRegisteredWithTheContainerAreCalledAndOneThatThrowsBreaksNothing(
      Container container) {
    RecordingHttpListener.EVENTS.clear();
    try (SessionStore store = InMemorySessionStore.create(SessionConfig.defaults());
        ServletServer server =
            container.start(
                (classes, ctx) -> {
                  ctx.addListener(new RecordingHttpListener());
                  ctx.addListener(RecordingHttpListener.Throwing.class);
                  SessionFilter.builder(store).register(ctx);
                  TestApp.addProbe(ctx);
                })) {
      Browser b = new Browser(CookieSettings.DEFAULT_NAME);
      assertThat(b.get(probe(server, "create,set:a:1")).status()).isEqualTo(200);
      assertThat(b.get(probe(server, "set:a:2,remove:a,set:b:1")).status()).isEqualTo(200);
      assertThat(b.get(probe(server, "changeId")).status()).isEqualTo(200);
      Browser.Response last = b.get(probe(server, "invalidate"));
      assertThat(last.status()).isEqualTo(200);
      assertThat(last.line("afterInvalidate")).isEqualTo("ise");
      assertThat(RecordingHttpListener.EVENTS)
          .containsExactly(
              "added:a=1",
              "created",
              "replaced:a=1",
              "removed:a=2",
              "added:b=1",
              "idChanged",
              "destroyed",
              "removed:b=1");
      assertThat(b.cookie()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aWebListenerFoundByAnnotationScanningIsCalled(Container container, @TempDir Path docBase)
      throws IOException, URISyntaxException {
    // A web application whose session listener is declared by @WebListener only: its class file
    // lies in WEB-INF/classes, where the container's annotation scanning finds it.
    Path webInf = Files.createDirectories(docBase.resolve("WEB-INF"));
    Files.copy(
        Path.of(RegistrationIT.class.getResource("/annotated-app/WEB-INF/web.xml").toURI()),
        webInf.resolve("web.xml"));
    String classFile = AnnotatedHttpListener.class.getName().replace('.', '/') + ".class";
    Path target = webInf.resolve("classes").resolve(classFile);
    Files.createDirectories(target.getParent());
    try (InputStream in = RegistrationIT.class.getClassLoader().getResourceAsStream(classFile)) {
      Files.copy(Objects.requireNonNull(in, classFile), target);
    }
    AnnotatedHttpListener.ANNOTATED_EVENTS.clear();
    try (SessionStore store = InMemorySessionStore.create(SessionConfig.defaults())) {
      StoreBootstrap.STORE.set(store);
      try (ServletServer server =
          container == Container.JETTY ? startJettyWebApp(docBase) : startTomcatWebApp(docBase)) {
        Browser b = new Browser(CookieSettings.DEFAULT_NAME);
        assertThat(b.get(probe(server, "create,set:a:1")).status()).isEqualTo(200);
        assertThat(b.get(probe(server, "set:a:2,changeId")).status()).isEqualTo(200);
        assertThat(b.get(probe(server, "invalidate")).status()).isEqualTo(200);
        assertThat(AnnotatedHttpListener.ANNOTATED_EVENTS)
            .containsExactly(
                "added:a=1", "created", "replaced:a=1", "idChanged", "destroyed", "removed:a=2");
      }
    }
  }

  /** Jetty reads the application's WEB-INF/web.xml through a WebAppContext. */
  private static ServletServer startJettyWebApp(Path docBase) {
    WebAppContext webApp = new WebAppContext();
    webApp.setContextPath("/");
    webApp.setBaseResourceAsPath(docBase);
    // The listener, filter and servlet classes come from the test class path, not WEB-INF/classes.
    webApp.setParentLoaderPriority(true);
    // Scans WEB-INF/classes for @WebListener and the like, as a standalone Jetty with the
    // annotations module does.
    webApp.addConfiguration(new AnnotationConfiguration());
    return Container.startJetty(webApp);
  }

  /** Tomcat reads the application's WEB-INF/web.xml through its ContextConfig. */
  private static ServletServer startTomcatWebApp(Path docBase) {
    Tomcat tomcat = Container.tomcat();
    Context context = tomcat.addContext("", docBase.toString());
    Container.plain(context);
    // Scans WEB-INF/classes (and WEB-INF/lib) for annotations, not the test class path; loads the
    // classes found there from the test class path, so the listener's static record is the test's.
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    ((StandardContext) context).setDelegate(true);
    ContextConfig config = new ContextConfig();
    config.setDefaultWebXml(Constants.NoDefaultWebXml);
    context.addLifecycleListener(config);
    return Container.startTomcat(tomcat);
  }
}
