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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real Redis outage: the filter fails closed with a short 503 (never "anonymous", never a stack
 * trace or an id) within the command timeout, and recovers by itself when Redis is back.
 */
class JettyRedisOutageIT {

  @Test
  void aKilledRedisGives503AndARestartedOneIsUsedAgainWithoutRestartingTheApp() throws IOException {
    try (RedisServer redis = RedisServers.startLocal();
        RedisSessionStore store =
            RedisSessionStore.create(RedisOptions.fromUri(redis.uri()), SessionConfig.defaults());
        ServletServer server =
            Container.JETTY.start(new TestApp(SessionFilter.builder(store).build()))) {
      Browser b = new Browser(CookieSettings.DEFAULT_NAME);
      b.get(server.uri("/app/probe?do=create,set:a:1"));
      String id = b.cookie();
      assertThat(b.get(server.uri("/app/probe?do=attr:a")).line("a")).isEqualTo("1");

      Path logFile = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
      long logStart = Files.size(logFile);
      redis.kill();
      int refused = 0;
      Browser.Response down = b.get(server.uri("/app/probe?do=attr:a"));
      refused++;
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.body()).isEqualTo("{\"error\":\"session_store_unavailable\"}");
      assertThat(down.toString()).doesNotContain(id).doesNotContain("Exception");
      assertThat(down.setCookies(CookieSettings.DEFAULT_NAME)).isEmpty();
      assertThat(
              new Browser(CookieSettings.DEFAULT_NAME)
                  .get(server.uri("/app/probe?do=create,get"))
                  .status())
          .isEqualTo(503);
      refused++;
      for (int i = 0; i < 5; i++) {
        assertThat(b.get(server.uri("/app/probe?do=attr:a")).status()).isEqualTo(503);
        refused++;
      }

      redis.restart();
      // Lettuce reconnects in the background, on its own schedule: poll until the store answers
      // again.
      int[] polls = new int[1];
      Browser.Response back = awaitRecovery(b, server, polls);
      refused += polls[0];
      // The data went with the process (no persistence): the old id is simply unknown now.
      assertThat(back.status()).isEqualTo(200);
      assertThat(back.line("session")).isEqualTo("none");
      Browser fresh = new Browser(CookieSettings.DEFAULT_NAME);
      fresh.get(server.uri("/app/probe?do=create,set:b:2"));
      assertThat(fresh.get(server.uri("/app/probe?do=attr:b")).line("b")).isEqualTo("2");

      // The outage in the log: one WARN when it began, one INFO with the count when it ended, no
      // stack trace and no ERROR from SessionKit.
      List<String> lines =
          new String(readFrom(logFile, logStart), StandardCharsets.UTF_8).lines().toList();
      List<String> filterLines =
          lines.stream().filter(l -> l.contains("io.sessionkit.servlet.SessionFilter")).toList();
      int total = refused;
      assertThat(filterLines)
          .filteredOn(l -> l.contains(" WARN "))
          .singleElement()
          .satisfies(l -> assertThat(l).contains("session store unavailable"));
      assertThat(filterLines)
          .filteredOn(l -> l.contains(" INFO "))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l).contains("reachable again after " + total + " refused request(s)"));
      assertThat(lines).noneMatch(l -> l.contains(" ERROR io.sessionkit"));
      assertThat(lines).noneMatch(l -> l.startsWith("\tat io.sessionkit"));
    }
  }

  private static byte[] readFrom(Path file, long offset) throws IOException {
    byte[] all = Files.readAllBytes(file);
    return Arrays.copyOfRange(all, (int) offset, all.length);
  }

  private static Browser.Response awaitRecovery(Browser b, ServletServer server, int[] refused) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Browser.Response r = b.get(server.uri("/app/probe?do=get"));
      if (r.status() != 503 || System.nanoTime() > deadline) {
        return r;
      }
      refused[0]++;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r;
      }
    }
  }
}
