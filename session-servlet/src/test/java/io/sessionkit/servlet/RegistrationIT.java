package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.servlet.testsupport.Browser;
import io.sessionkit.servlet.testsupport.Container;
import io.sessionkit.servlet.testsupport.ServletServer;
import io.sessionkit.servlet.testsupport.StoreBootstrap;
import io.sessionkit.servlet.testsupport.TestApp;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The three ways to register {@link SessionFilter}, each shown working over HTTP. */
class RegistrationIT {

  private static void assertSessionWorks(ServletServer server, String cookieName) {
    Browser b = new Browser(cookieName);
    Browser.Response created = b.get(server.uri("/app/probe?do=create,set:a:1"));
    assertThat(created.setCookies(cookieName)).hasSize(1);
    assertThat(b.cookie()).isNotNull();
    assertThat(b.get(server.uri("/app/probe?do=attr:a,isNew")).body()).contains("a=1").contains("isNew=false");
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void oneLineBuilderRegistration(Container container) {
    try (SessionStore store = InMemorySessionStore.create(SessionConfig.defaults());
        ServletServer server = container.start((classes, ctx) -> {
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
        ServletServer server = container.start((classes, ctx) -> {
          SessionFilter filter = SessionFilter.builder(store)
              .cookie(CookieSettings.builder().name("__Host-added").build())
              .build();
          ctx.addFilter("sessionkit", filter).addMappingForUrlPatterns(SessionFilter.DISPATCHER_TYPES, false, "/*");
          TestApp.addProbe(ctx);
        })) {
      assertSessionWorks(server, "__Host-added");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void webXmlRegistrationReadsTheStoreFromTheContextAndSettingsFromInitParameters(Container container)
      throws URISyntaxException {
    try (SessionStore store = InMemorySessionStore.create(SessionConfig.defaults())) {
      StoreBootstrap.STORE.set(store);
      Path docBase = Path.of(RegistrationIT.class.getResource("/webxml-app/WEB-INF/web.xml").toURI())
          .getParent().getParent();
      try (ServletServer server = container == Container.JETTY ? startJettyWebApp(docBase) : startTomcatWebApp(docBase)) {
        assertSessionWorks(server, "__Host-webxml");
        Browser b = new Browser("__Host-webxml");
        Browser.Response r = b.get(server.uri("/app/probe?do=create"));
        assertThat(r.setCookies("__Host-webxml").get(0)).contains("SameSite=Strict");
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
    return Container.startJetty(webApp);
  }

  /** Tomcat reads the application's WEB-INF/web.xml through its ContextConfig. */
  private static ServletServer startTomcatWebApp(Path docBase) {
    Tomcat tomcat = Container.tomcat();
    Context context = tomcat.addContext("", docBase.toString());
    Container.plain(context);
    ContextConfig config = new ContextConfig();
    config.setDefaultWebXml(Constants.NoDefaultWebXml);
    context.addLifecycleListener(config);
    return Container.startTomcat(tomcat);
  }
}
