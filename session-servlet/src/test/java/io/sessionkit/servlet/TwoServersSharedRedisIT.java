package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.servlet.testsupport.Browser;
import io.sessionkit.servlet.testsupport.Container;
import io.sessionkit.servlet.testsupport.ServletServer;
import io.sessionkit.servlet.testsupport.TestApp;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two application servers, one Jetty and one Tomcat, each with its own Redis connection, sharing
 * one Redis: any server serves any request, and logout, kick-out and "sign out everywhere" on one
 * take effect on the other at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoServersSharedRedisIT {
  private static final String NAME = CookieSettings.DEFAULT_NAME;

  private RedisServer redis;
  private RedisSessionStore storeA;
  private RedisSessionStore storeB;
  private ServletServer jetty;
  private ServletServer tomcat;

  @BeforeAll
  void start() {
    redis = RedisServers.standalone();
    redis.flushAll();
    SessionConfig config =
        SessionConfig.builder()
            .loginPolicy(
                LoginPolicy.builder()
                    .maxSessionsPerDeviceType(1)
                    .onLimit(OnLimit.EVICT_OLDEST)
                    .build())
            .build();
    storeA = RedisSessionStore.create(RedisOptions.fromUri(redis.uri()), config);
    storeB = RedisSessionStore.create(RedisOptions.fromUri(redis.uri()), config);
    jetty =
        Container.JETTY.start(
            new TestApp(SessionFilter.builder(storeA).rejectEndedSessions("/api/").build()));
    tomcat =
        Container.TOMCAT.start(
            new TestApp(SessionFilter.builder(storeB).rejectEndedSessions("/api/").build()));
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {jetty, tomcat, storeA, storeB, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // Keep closing the rest.
      }
    }
  }

  private static URI on(ServletServer server, String path, String commands) {
    return server.uri(path + "?do=" + URLEncoder.encode(commands, StandardCharsets.UTF_8));
  }

  private static URI app(ServletServer server, String commands) {
    return on(server, "/app/probe", commands);
  }

  @Test
  void aSessionLoggedInOnJettyIsUsableOnTomcatAndBack() {
    Browser b = new Browser(NAME);
    assertThat(b.get(app(jetty, "create,set:cart:3,loginCarry:roaming-user:cart")).line("login"))
        .isEqualTo("accepted");
    Browser.Response onTomcat = b.get(app(tomcat, "user,attr:cart,set:theme:dark"));
    assertThat(onTomcat.line("user")).isEqualTo("roaming-user");
    assertThat(onTomcat.line("cart")).isEqualTo("3");
    assertThat(onTomcat.setCookies(NAME)).isEmpty();
    assertThat(b.get(app(jetty, "attr:theme")).line("theme")).isEqualTo("dark");
  }

  @Test
  void aLogoutOnOneServerIsRefusedOnTheOtherAtOnce() {
    Browser b = new Browser(NAME);
    b.get(app(tomcat, "login:leaving-user,set:a:1"));
    String id = b.cookie();
    assertThat(b.get(app(jetty, "user")).line("user")).isEqualTo("leaving-user");
    b.get(app(tomcat, "invalidate"));
    b.cookie(id);
    Browser.Response r = b.get(app(jetty, "get,endReason"));
    assertThat(r.line("session")).isEqualTo("none");
    assertThat(r.line("endReason")).isEqualTo("logout attribute=true");
  }

  @Test
  void signOutEverywhereOnOneServerEndsTheUsersSessionsOnBoth() {
    Browser laptop = new Browser(NAME);
    Browser phone = new Browser(NAME);
    Browser bystander = new Browser(NAME);
    laptop.get(app(jetty, "login:everywhere-user"));
    phone.get(app(tomcat, "login:everywhere-user"));
    bystander.get(app(tomcat, "login:other-user"));
    assertThat(laptop.get(app(tomcat, "signOutEverywhere")).line("ended")).isEqualTo("2");
    Browser.Response onJetty = phone.get(app(jetty, "get,endReason"));
    assertThat(onJetty.line("session")).isEqualTo("none");
    assertThat(onJetty.line("endReason")).isEqualTo("all_revoked attribute=true");
    assertThat(laptop.get(app(jetty, "get")).line("session")).isEqualTo("none");
    assertThat(bystander.get(app(jetty, "user")).line("user")).isEqualTo("other-user");
  }

  @Test
  void aLoginLimitOfOneKicksTheOlderBrowserWhichIsToldItWasReplaced() {
    Browser older = new Browser(NAME);
    Browser newer = new Browser(NAME);
    older.get(app(jetty, "login:limited-user:browser"));
    String olderId = older.cookie();
    newer.get(app(tomcat, "login:limited-user:browser"));
    Browser.Response api = older.get(on(tomcat, "/api/probe", "get"));
    assertThat(api.status()).isEqualTo(401);
    assertThat(api.body()).isEqualTo("{\"error\":\"session_ended\",\"reason\":\"replaced\"}");
    older.cookie(olderId);
    Browser.Response page = older.get(app(jetty, "get,endReason"));
    assertThat(page.line("session")).isEqualTo("none");
    assertThat(page.line("endReason")).isEqualTo("replaced attribute=true");
    assertThat(page.setCookies(NAME))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("Max-Age=0"));
    assertThat(newer.get(app(jetty, "user")).line("user")).isEqualTo("limited-user");
  }
}
