package io.sessionkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.SessionStore;
import io.sessionkit.micrometer.SessionKitMetrics;
import io.sessionkit.spring.boot.apps.actuator.ActuatorApp;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot app with Spring Security, Actuator and session-micrometer on a real port, its sessions in
 * a real redis-server: the {@code sessionkit} health indicator follows Redis down and up, the login
 * counter is on {@code /actuator/metrics}, and the {@code sessionkit} endpoint lists a user's
 * sessions by handle and ends them.
 */
class ActuatorIT {
  private static final String USER = TwoInstancesIT.USER;
  private static final String PASSWORD = TwoInstancesIT.PASSWORD;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern HANDLE = Pattern.compile("\"handle\":\"([^\"]+)\"");

  private static RedisServer redis;
  private static ConfigurableApplicationContext app;
  private static int port;

  @BeforeAll
  static void start() {
    redis = RedisServers.startLocal();
    app =
        Boot.start(
            ActuatorApp.class,
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + redis.port(),
            "spring.data.redis.timeout=1s",
            "spring.security.user.name=" + USER,
            "spring.security.user.password=" + PASSWORD,
            "management.endpoints.web.exposure.include=health,metrics,sessionkit",
            "management.endpoint.health.show-details=always");
    port = Boot.port(app);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void loginsAreCountedAndTheEndpointListsAndEndsSessionsByHandle() {
    assertThat(app.getBean(SessionStore.class).getClass().getName())
        .startsWith("io.sessionkit.micrometer.Observed");
    double before = accepted();
    Browser browser = new Browser();
    TwoInstancesIT.login(browser, port);
    assertThat(browser.get(port, "/me").body()).isEqualTo(USER);

    Response metric =
        call("GET", "/actuator/metrics/" + SessionKitMetrics.LOGINS + "?tag=result:accepted");
    assertThat(metric.status()).as(metric.body()).isEqualTo(200);
    assertThat(accepted()).isEqualTo(before + 1);
    // The listener is in the auto-configured SessionConfig: the store's own events are counted too.
    Response created = call("GET", "/actuator/metrics/" + SessionKitMetrics.SESSIONS_CREATED);
    assertThat(created.status()).as(created.body()).isEqualTo(200);

    Response listed = call("GET", "/actuator/sessionkit/" + USER);
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    Matcher m = HANDLE.matcher(listed.body());
    assertThat(m.find()).as(listed.body()).isTrue();
    String handle = m.group(1);
    assertThat(m.find()).as("one session only: %s", listed.body()).isFalse();
    assertThat(listed.body()).contains("\"created\"").contains("\"lastAccess\"");
    for (String id : browser.cookies().values()) {
      assertThat(listed.body()).doesNotContain(id);
    }

    Response ended = call("DELETE", "/actuator/sessionkit/" + USER + "/" + handle);
    assertThat(ended.status()).as(ended.body()).isEqualTo(200);
    assertThat(ended.body()).contains("\"ended\":1");
    Browser.Response refused = browser.get(port, "/me");
    assertThat(refused.status()).isEqualTo(302);
    assertThat(refused.location()).hasValueSatisfying(l -> assertThat(l).contains("/login"));
    assertThat(call("GET", "/actuator/sessionkit/" + USER).body()).isEqualTo("[]");

    Browser first = new Browser();
    Browser second = new Browser();
    TwoInstancesIT.login(first, port);
    TwoInstancesIT.login(second, port);
    Response all = call("DELETE", "/actuator/sessionkit/" + USER);
    assertThat(all.body()).contains("\"ended\":2");
    Response allRevoked =
        call(
            "GET",
            "/actuator/metrics/" + SessionKitMetrics.SESSIONS_ENDED + "?tag=reason:all_revoked");
    assertThat(allRevoked.body())
        .as(allRevoked.body())
        .contains("\"statistic\":\"COUNT\",\"value\":2.0");
    assertThat(first.get(port, "/me").status()).isEqualTo(302);
    assertThat(second.get(port, "/me").status()).isEqualTo(302);
    assertThat(accepted()).isEqualTo(before + 3);
  }

  @Test
  void healthIsUpThenDownWhenRedisIsKilledAndUpAfterRestart() throws Exception {
    Response up = call("GET", "/actuator/health");
    assertThat(up.status()).as(up.body()).isEqualTo(200);
    assertThat(up.body())
        .contains("\"sessionkit\":{")
        .contains("\"evictionPolicy\":\"noeviction (safe)\"");
    assertThat(sessionkitStatus()).isEqualTo("UP");

    redis.kill();
    Response down = call("GET", "/actuator/health/sessionkit");
    assertThat(down.status()).as(down.body()).isEqualTo(503);
    assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("unreachable");

    redis.restart();
    String status = null;
    for (int i = 0; i < 100 && !"UP".equals(status); i++) {
      status = sessionkitStatus();
      if (!"UP".equals(status)) {
        Thread.sleep(100);
      }
    }
    assertThat(status).isEqualTo("UP");
  }

  @Test
  void theInMemoryStoreIsUpNotSharedAndItsLiveSessionsAreAGauge() {
    try (ConfigurableApplicationContext memory =
        Boot.start(
            ActuatorApp.class,
            "sessionkit.store=memory",
            "spring.security.user.name=" + USER,
            "spring.security.user.password=" + PASSWORD,
            "management.endpoints.web.exposure.include=health,metrics",
            "management.endpoint.health.show-details=always")) {
      int memoryPort = Boot.port(memory);
      TwoInstancesIT.login(new Browser(), memoryPort);
      Response health = call(memoryPort, "GET", "/actuator/health/sessionkit");
      assertThat(health.status()).as(health.body()).isEqualTo(200);
      assertThat(health.body())
          .contains("\"status\":\"UP\"")
          .contains("\"store\":\"memory\"")
          .contains("not shared");
      Response live = call(memoryPort, "GET", "/actuator/metrics/sessionkit.sessions.live");
      assertThat(live.status()).as(live.body()).isEqualTo(200);
      assertThat(live.body()).contains("\"statistic\":\"VALUE\",\"value\":1.0");
    }
  }

  private static String sessionkitStatus() {
    Matcher m =
        Pattern.compile("\"status\":\"([A-Z_]+)\"")
            .matcher(call("GET", "/actuator/health/sessionkit").body());
    return m.find() ? m.group(1) : "?";
  }

  private static double accepted() {
    Response r =
        call("GET", "/actuator/metrics/" + SessionKitMetrics.LOGINS + "?tag=result:accepted");
    if (r.status() == 404) {
      return 0;
    }
    Matcher m = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.]+)").matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private record Response(int status, String body) {}

  private static Response call(String method, String path) {
    return call(port, method, path);
  }

  private static Response call(int port, String method, String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (Exception e) {
      throw new AssertionError(method + " " + path, e);
    }
  }
}
