package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collections;
import java.util.EventListener;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionFilterConfigTest {
  private final SessionStore store = InMemorySessionStore.create(SessionConfig.defaults());

  private static FilterConfig filterConfig(
      Map<String, String> params, Map<String, Object> contextAttributes) {
    ServletContext ctx =
        (ServletContext)
            Proxy.newProxyInstance(
                ServletContext.class.getClassLoader(),
                new Class<?>[] {ServletContext.class},
                (p, m, a) ->
                    switch (m.getName()) {
                      case "getAttribute" -> contextAttributes.get((String) a[0]);
                      default -> throw new UnsupportedOperationException(m.getName());
                    });
    return (FilterConfig)
        Proxy.newProxyInstance(
            FilterConfig.class.getClassLoader(),
            new Class<?>[] {FilterConfig.class},
            (p, m, a) ->
                switch (m.getName()) {
                  case "getInitParameter" -> params.get((String) a[0]);
                  case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                  case "getServletContext" -> ctx;
                  case "getFilterName" -> "sessionkit";
                  default -> throw new UnsupportedOperationException(m.getName());
                });
  }

  @Test
  void webXmlInitParametersConfigureTheFilter() throws ServletException {
    Map<String, String> params = new HashMap<>();
    params.put(SessionFilter.PARAM_COOKIE_NAME, "app");
    params.put(SessionFilter.PARAM_COOKIE_PATH, "/shop");
    params.put(SessionFilter.PARAM_COOKIE_DOMAIN, "example.com");
    params.put(SessionFilter.PARAM_COOKIE_MAX_AGE, "3600");
    params.put(SessionFilter.PARAM_COOKIE_SAME_SITE, "strict");
    params.put(SessionFilter.PARAM_COOKIE_HTTP_ONLY, "false");
    params.put(SessionFilter.PARAM_REJECT_ENDED_PATHS, "/api/, /rpc/");
    SessionFilter filter = new SessionFilter();
    filter.init(filterConfig(params, Map.of(SessionFilter.STORE_ATTRIBUTE, store)));
    assertThat(filter.store()).isSameAs(store);
    assertThat(filter.transport()).isEqualTo(IdTransport.COOKIE);
    assertThat(filter.cookie())
        .isEqualTo(
            CookieSettings.builder()
                .name("app")
                .path("/shop")
                .domain("example.com")
                .maxAge(Duration.ofHours(1))
                .sameSite(SameSite.STRICT)
                .httpOnly(false)
                .build());
  }

  @Test
  void theStoreCanComeFromAnotherAttribute() throws ServletException {
    SessionFilter filter = new SessionFilter();
    filter.init(
        filterConfig(
            Map.of(
                SessionFilter.PARAM_STORE_ATTRIBUTE,
                "my.store",
                SessionFilter.PARAM_TRANSPORT,
                "header",
                SessionFilter.PARAM_HEADER_NAME,
                "X-Api-Session"),
            Map.of("my.store", store)));
    assertThat(filter.transport()).isEqualTo(IdTransport.HEADER);
    assertThat(filter.headerName()).isEqualTo("X-Api-Session");
  }

  @Test
  void aMissingStoreFailsStartupNamingTheAttribute() {
    assertThatThrownBy(() -> new SessionFilter().init(filterConfig(Map.of(), Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining(SessionFilter.STORE_ATTRIBUTE);
  }

  @Test
  void anInsecureCookieCombinationFailsStartup() {
    Map<String, String> params = Map.of(SessionFilter.PARAM_COOKIE_DOMAIN, "example.com");
    assertThatThrownBy(
            () ->
                new SessionFilter()
                    .init(filterConfig(params, Map.of(SessionFilter.STORE_ATTRIBUTE, store))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("__Host-")
        .hasMessageContaining("Domain");
    Map<String, String> sameSite = Map.of(SessionFilter.PARAM_COOKIE_SAME_SITE, "sometimes");
    assertThatThrownBy(
            () ->
                new SessionFilter()
                    .init(filterConfig(sameSite, Map.of(SessionFilter.STORE_ATTRIBUTE, store))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("sometimes");
  }

  @Test
  void builderValidatesAndToBuilderKeepsTheSettings() {
    assertThatThrownBy(() -> SessionFilter.builder(store).headerName("X Bad"))
        .hasMessageContaining("X Bad");
    assertThatThrownBy(() -> SessionFilter.builder(store).rejectEndedSessions("api"))
        .hasMessageContaining("'api'");
    assertThatThrownBy(() -> SessionFilter.builder(store).addListener(new EventListener() {}))
        .isInstanceOf(IllegalArgumentException.class);
    SessionFilter filter =
        SessionFilter.builder(store).transport(IdTransport.HEADER).headerName("X-S").build();
    SessionFilter copy = filter.toBuilder().build();
    assertThat(copy.transport()).isEqualTo(IdTransport.HEADER);
    assertThat(copy.headerName()).isEqualTo("X-S");
    assertThat(copy.cookie()).isEqualTo(filter.cookie());
    assertThat(copy.store()).isSameAs(store);
  }

  @Test
  void theHelpersRefuseARequestThatDidNotPassTheFilter() {
    HttpServletRequest req =
        (HttpServletRequest)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (p, m, a) -> null);
    assertThatThrownBy(() -> SessionFilter.login(req, "alice"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SessionFilter");
    assertThat(SessionFilter.endReason(req)).isEmpty();
  }
}
