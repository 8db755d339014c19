package io.sessionkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.SessionFilter;
import io.sessionkit.spring.boot.apps.open.OpenApp;
import io.sessionkit.spring.boot.internal.RedisServices;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;

/**
 * The auto-configuration at startup, one instance at a time: properties honoured and refused,
 * back-off, refusal beside Spring Session, Redis down at startup and during operation.
 */
class SessionKitStartupIT {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sessionkit.login.max-sessions|-1",
        "sessionkit.login.on-limit|sometimes",
        "sessionkit.timeout.absolute|-5m",
        "sessionkit.timeout.touch-interval|-1s",
        "server.servlet.session.cookie.name|bad name",
        "server.servlet.session.cookie.same-site|omitted",
        "sessionkit.max-session-bytes|12",
      })
  void aBadValueFailsStartupNamingThePropertyAndTheValue(String property, String value) {
    assertThatThrownBy(
            () ->
                Boot.start(OpenApp.class, "sessionkit.store=memory", property + "=" + value)
                    .close())
        .satisfies(e -> assertThat(messages(e)).contains(property).contains(value));
  }

  @Test
  void redisDownAtStartupFailsNamingTheMaskedUriAndTheProperty() {
    RedisServer redis = RedisServers.startLocal();
    int port = redis.port();
    redis.close();
    assertThatThrownBy(
            () ->
                Boot.start(
                        OpenApp.class,
                        "spring.data.redis.url=redis://app:s3cret@127.0.0.1:" + port,
                        "spring.data.redis.connect-timeout=2s")
                    .close())
        .satisfies(
            e -> {
              String m = messages(e);
              assertThat(m)
                  .contains("redis://***@127.0.0.1:" + port)
                  .contains("sessionkit.redis.lazy-connect")
                  .contains("spring.data.redis.url")
                  .doesNotContain("s3cret");
            })
        .hasRootCauseInstanceOf(Exception.class)
        .satisfies(
            e -> assertThat(causes(e)).anyMatch(c -> c instanceof RedisUnreachableException));
  }

  @Test
  void lazyConnectStartsWithoutRedisAnswers503AndServesOnceRedisIsThereAndAfterACrash()
      throws Exception {
    try (RedisServer redis = RedisServers.startLocal()) {
      redis.kill();
      try (ConfigurableApplicationContext app =
          Boot.start(
              OpenApp.class,
              "spring.data.redis.host=127.0.0.1",
              "spring.data.redis.port=" + redis.port(),
              "sessionkit.redis.lazy-connect=true",
              "spring.data.redis.timeout=1s")) {
        int port = Boot.port(app);
        Browser browser = new Browser();
        Browser.Response down = browser.get(port, "/counter");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body()).doesNotContain("Exception").doesNotContain("at io.");

        redis.restart();
        assertThat(untilServed(browser, port).body()).isEqualTo("count=1");
        assertThat(browser.get(port, "/counter").body()).isEqualTo("count=2");
        assertThat(redis.call("DBSIZE")).isNotEqualTo(0L);

        redis.kill();
        assertThat(browser.get(port, "/counter").status()).isEqualTo(503);
        redis.restart();
        // The restarted server kept no data: the session is gone. Spring Security (wired by the
        // starter) tells the browser so; the redirect hands it a fresh session's cookie in place of
        // the dead one, so the login page is served rather than redirecting again (this app has no
        // login page: 404, not another 302).
        Browser.Response after = untilServed(browser, port);
        assertThat(after.status()).isEqualTo(302);
        String login = after.location().orElseThrow();
        assertThat(login).endsWith("/login?reason=expired");
        assertThat(browser.get(port, login.substring(login.indexOf("/login"))).status())
            .isNotEqualTo(302);
        assertThat(browser.get(port, "/counter").body()).isEqualTo("count=1");
      }
    }
  }

  @Test
  void memoryStoreHonoursBootsTimeoutAndCookieProperties() {
    try (ConfigurableApplicationContext app =
        Boot.start(
            OpenApp.class,
            "sessionkit.store=memory",
            "server.servlet.session.timeout=7m",
            "server.servlet.session.cookie.name=SK",
            "server.servlet.session.cookie.same-site=strict",
            "server.servlet.session.cookie.path=/",
            "server.servlet.session.cookie.max-age=1h",
            "sessionkit.timeout.absolute=2h")) {
      // Actuator and session-micrometer are on the test class path: the beans are the observing
      // decorators (SessionKitMetricsAutoConfiguration) around the in-memory store and service.
      assertThat(app.getBean(SessionStore.class).toString())
          .startsWith("Observed" + InMemorySessionStore.class.getSimpleName());
      assertThat(app.getBean(TokenRevocationService.class).toString())
          .startsWith("Observed" + InMemoryTokenRevocationService.class.getSimpleName());
      assertThat(app.getBeansOfType(RedisServices.class)).isEmpty();
      SessionConfig config = app.getBean(SessionConfig.class);
      assertThat(config.ttlPolicy().timeouts().idle()).contains(Duration.ofMinutes(7));
      assertThat(config.ttlPolicy().timeouts().absolute()).contains(Duration.ofHours(2));

      Browser browser = new Browser();
      assertThat(browser.get(Boot.port(app), "/timeout").body())
          .isEqualTo("maxInactiveInterval=420");
      // A session that stores nothing is never written and gets no cookie; the first write does.
      Browser.Response r = browser.get(Boot.port(app), "/counter");
      assertThat(r.body()).isEqualTo("count=1");
      assertThat(Browser.setCookies(r))
          .singleElement()
          .satisfies(
              c ->
                  assertThat(c)
                      .startsWith("SK=")
                      .contains("SameSite=Strict")
                      .contains("Max-Age=3600")
                      .contains("Secure")
                      .contains("HttpOnly"));
      assertThat(browser.get(Boot.port(app), "/counter").body()).isEqualTo("count=2");
    }
  }

  @Test
  void theFilterIsRegisteredAheadOfSpringSecurityForBootsDispatcherTypes() {
    try (ConfigurableApplicationContext app =
        Boot.start(OpenApp.class, "sessionkit.store=memory")) {
      FilterRegistrationBean<?> ours =
          app.getBean("sessionKitFilterRegistration", FilterRegistrationBean.class);
      assertThat(ours.getFilter()).isSameAs(app.getBean(SessionFilter.class));
      assertThat(ours.getOrder()).isEqualTo(Integer.MIN_VALUE + 50);
      assertThat(ours.getUrlPatterns()).containsExactly("/*");
      assertThat(app.getBeanNamesForType(AbstractFilterRegistrationBean.class))
          .contains("securityFilterChainRegistration");
      AbstractFilterRegistrationBean<?> security =
          app.getBean("securityFilterChainRegistration", AbstractFilterRegistrationBean.class);
      assertThat(ours.getOrder()).isLessThan(security.getOrder());
    }
  }

  @Test
  void theApplicationsOwnStoreTokenServiceAndFilterAreUsedAndTheFilterStillGoesFirst() {
    // No Redis runs on the port: backing off means not connecting at all.
    try (ConfigurableApplicationContext app =
        Boot.start(new Class<?>[] {OpenApp.class, OwnBeans.class}, "spring.data.redis.port=1")) {
      assertThat(app.getBean(SessionStore.class)).isSameAs(app.getBean("ownStore"));
      assertThat(app.getBean(TokenRevocationService.class)).isSameAs(app.getBean("ownTokens"));
      assertThat(app.getBeansOfType(RedisServices.class)).isEmpty();
      FilterRegistrationBean<?> r =
          app.getBean("sessionKitFilterRegistration", FilterRegistrationBean.class);
      assertThat(r.getFilter()).isSameAs(app.getBean("ownFilter"));
      assertThat(r.getOrder()).isEqualTo(SessionKitAutoConfiguration.FILTER_ORDER);
      Browser browser = new Browser();
      assertThat(browser.get(Boot.port(app), "/counter").body()).isEqualTo("count=1");
      assertThat(browser.cookies()).containsKey("own");
    }
  }

  @Test
  void springSessionBesideSessionKitFailsStartupWithAClearMessage() {
    assertThatThrownBy(
            () ->
                Boot.start(
                        new Class<?>[] {OpenApp.class, SpringSessionToo.class},
                        "sessionkit.store=memory")
                    .close())
        .satisfies(
            e ->
                assertThat(messages(e))
                    .contains("SessionKit and Spring Session are both configured")
                    .contains("sessionkit.enabled=false"));
  }

  /** The application's own store, token service and filter (with its own cookie name). */
  @Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    @Bean
    SessionStore ownStore() {
      return InMemorySessionStore.create(SessionConfig.defaults());
    }

    @Bean
    TokenRevocationService ownTokens(SessionStore ownStore) {
      return InMemoryTokenRevocationService.create(RevocationConfig.defaults(), ownStore);
    }

    @Bean
    SessionFilter ownFilter(SessionStore ownStore) {
      return SessionFilter.builder(ownStore)
          .cookie(CookieSettings.builder().name("own").build())
          .build();
    }
  }

  /** Spring Session, as an application that also has it would configure it. */
  @Configuration(proxyBeanMethods = false)
  @EnableSpringHttpSession
  static class SpringSessionToo {
    @Bean
    MapSessionRepository sessionRepository() {
      return new MapSessionRepository(new ConcurrentHashMap<>());
    }
  }

  private static Browser.Response untilServed(Browser browser, int port)
      throws InterruptedException {
    Browser.Response r = null;
    for (int i = 0; i < 100; i++) {
      r = browser.get(port, "/counter");
      if (r.status() != 503) {
        return r;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("still 503 after Redis came back: " + r.body());
  }

  static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c : causes(e)) {
      sb.append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }

  static List<Throwable> causes(Throwable e) {
    List<Throwable> all = new ArrayList<>();
    for (Throwable c = e; c != null && !all.contains(c); c = c.getCause()) {
      all.add(c);
    }
    return all;
  }
}
