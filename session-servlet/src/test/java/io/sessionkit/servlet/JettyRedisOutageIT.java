package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.servlet.testsupport.Browser;
import io.sessionkit.servlet.testsupport.Container;
import io.sessionkit.servlet.testsupport.ServletServer;
import io.sessionkit.servlet.testsupport.TestApp;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A real Redis outage: the filter fails closed with a short 503 (never "anonymous", never a stack
 * trace or an id) within the command timeout, and recovers by itself when Redis is back.
 */
class JettyRedisOutageIT {

  @Test
  void aKilledRedisGives503AndARestartedOneIsUsedAgainWithoutRestartingTheApp() {
    try (RedisServer redis = RedisServers.startLocal();
        RedisSessionStore store = RedisSessionStore.create(RedisOptions.fromUri(redis.uri()), SessionConfig.defaults());
        ServletServer server = Container.JETTY.start(new TestApp(SessionFilter.builder(store).build()))) {
      Browser b = new Browser(CookieSettings.DEFAULT_NAME);
      b.get(server.uri("/app/probe?do=create,set:a:1"));
      String id = b.cookie();
      assertThat(b.get(server.uri("/app/probe?do=attr:a")).line("a")).isEqualTo("1");

      redis.kill();
      Browser.Response down = b.get(server.uri("/app/probe?do=attr:a"));
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.body()).isEqualTo("{\"error\":\"session_store_unavailable\"}");
      assertThat(down.toString()).doesNotContain(id).doesNotContain("Exception");
      assertThat(down.setCookies(CookieSettings.DEFAULT_NAME)).isEmpty();
      assertThat(new Browser(CookieSettings.DEFAULT_NAME).get(server.uri("/app/probe?do=create")).status())
          .isEqualTo(503);

      redis.restart();
      // Lettuce reconnects in the background, on its own schedule: poll until the store answers again.
      Browser.Response back = awaitRecovery(b, server);
      // The data went with the process (no persistence): the old id is simply unknown now.
      assertThat(back.status()).isEqualTo(200);
      assertThat(back.line("session")).isEqualTo("none");
      Browser fresh = new Browser(CookieSettings.DEFAULT_NAME);
      fresh.get(server.uri("/app/probe?do=create,set:b:2"));
      assertThat(fresh.get(server.uri("/app/probe?do=attr:b")).line("b")).isEqualTo("2");
    }
  }

  private static Browser.Response awaitRecovery(Browser b, ServletServer server) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Browser.Response r = b.get(server.uri("/app/probe?do=get"));
      if (r.status() != 503 || System.nanoTime() > deadline) {
        return r;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r;
      }
    }
  }
}
