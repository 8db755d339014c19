package io.sessionkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.redis.NearCache;
import io.sessionkit.redis.NearCacheOptions;
import io.sessionkit.redis.NearCachedSessionStore;
import io.sessionkit.redis.NearCachedTokenRevocationService;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.redis.RedisTokenRevocationService;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The near cache bound as a cache (gets by result, size, evictions, subscription) and the count
 * gauges, read from a {@link SimpleMeterRegistry} after real operations on a real redis-server.
 */
class NearCacheAndCountMetricsIT {
  private static double value(SimpleMeterRegistry r, String name, String... tags) {
    return r.get(name).tags(tags).meter().measure().iterator().next().getValue();
  }

  @Test
  void theNearCacheIsBoundLikeACacheAndItsSubscriptionIsAGauge() {
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector =
            RedisConnector.connect(
                RedisOptions.fromUri(redis.uri()).toBuilder()
                    .commandTimeout(Duration.ofSeconds(10))
                    .build())) {
      NearCache near =
          NearCache.create(
              connector,
              NearCacheOptions.builder().maximumSessions(2).maxAge(Duration.ofMinutes(1)).build());
      RedisSessionStore raw =
          RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build());
      NearCachedSessionStore sessions = near.sessions(raw);
      NearCachedTokenRevocationService tokens =
          near.tokens(
              RedisTokenRevocationService.create(
                  connector, RevocationConfig.builder().auditLogging(false).build()));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      NearCacheMetrics.of(near).sessions(sessions).tokens(tokens).bindTo(registry);

      Session s = raw.create(); // made behind the near cache's back: not cached
      sessions.access(s.id()); // miss, then cached
      sessions.access(s.id()); // hit
      sessions.access(s.id()); // hit
      Instant now = Instant.now();
      TokenClaims t = new TokenClaims("tok-1", "alice", now, now.plusSeconds(600));
      tokens.check(t); // miss
      tokens.check(t); // hit
      String c = "cache";
      assertThat(value(registry, "cache.gets", c, "sessionkit.sessions", "result", "hit"))
          .isEqualTo(2);
      assertThat(value(registry, "cache.gets", c, "sessionkit.sessions", "result", "miss"))
          .isEqualTo(1);
      assertThat(value(registry, "cache.gets", c, "sessionkit.tokens", "result", "hit"))
          .isEqualTo(1);
      assertThat(value(registry, "cache.gets", c, "sessionkit.tokens", "result", "miss"))
          .isEqualTo(1);
      assertThat(value(registry, "cache.size", c, "sessionkit.sessions")).isEqualTo(1);
      assertThat(value(registry, "cache.evictions", c, "sessionkit.sessions")).isZero();
      // two more sessions read into a cache of two: one entry must go
      for (int i = 0; i < 2; i++) {
        sessions.access(raw.create().id());
      }
      assertThat(value(registry, "cache.evictions", c, "sessionkit.sessions")).isEqualTo(1);
      assertThat(value(registry, "cache.size", c, "sessionkit.sessions")).isEqualTo(2);
      assertThat(value(registry, NearCacheMetrics.SUBSCRIBED)).isEqualTo(1);
      near.close();
      assertThat(value(registry, NearCacheMetrics.SUBSCRIBED)).isZero();
      sessions.close();
      tokens.close();
    }
  }

  @Test
  void theCountGaugesReadTheStoreAndAreNaNWhileRedisIsDown() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InMemorySessionStore memory =
        InMemorySessionStore.create(SessionConfig.builder().auditLogging(false).build());
    SessionCountMetrics.of(memory)
        .refreshEvery(Duration.ZERO)
        .tags(List.of(Tag.of("store", "memory")))
        .bindTo(registry);
    memory.login(null, "alice");
    memory.login(null, "alice");
    memory.create();
    assertThat(value(registry, SessionCountMetrics.LIVE_SESSIONS, "store", "memory")).isEqualTo(3);
    assertThat(value(registry, SessionCountMetrics.SIGNED_IN_USERS, "store", "memory"))
        .isEqualTo(1);

    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector =
            RedisConnector.connect(
                RedisOptions.fromUri(redis.uri()).toBuilder()
                    .counting(RedisOptions.Counting.EXACT)
                    .commandTimeout(Duration.ofSeconds(5))
                    .build())) {
      RedisSessionStore store =
          RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build());
      SessionCountMetrics.of(store)
          .refreshEvery(Duration.ZERO)
          .tags(List.of(Tag.of("store", "redis")))
          .bindTo(registry);
      store.login(null, "alice");
      store.login(null, "bob");
      assertThat(store.countSessions().liveSessions()).isEqualTo(2);
      assertThat(value(registry, SessionCountMetrics.LIVE_SESSIONS, "store", "redis")).isEqualTo(2);
      assertThat(value(registry, SessionCountMetrics.SIGNED_IN_USERS, "store", "redis"))
          .isEqualTo(2);
      redis.kill();
      assertThat(value(registry, SessionCountMetrics.LIVE_SESSIONS, "store", "redis")).isNaN();
      redis.restart(); // no persistence: the restarted server is empty
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (Double.isNaN(value(registry, SessionCountMetrics.LIVE_SESSIONS, "store", "redis"))
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(value(registry, SessionCountMetrics.LIVE_SESSIONS, "store", "redis")).isZero();
    }
  }

  @Test
  void oneReadingServesTheGaugesForTheRefreshInterval() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InMemorySessionStore memory =
        InMemorySessionStore.create(SessionConfig.builder().auditLogging(false).build());
    SessionCountMetrics.of(memory).refreshEvery(Duration.ofHours(1)).bindTo(registry);
    memory.create();
    assertThat(value(registry, SessionCountMetrics.LIVE_SESSIONS)).isEqualTo(1);
    memory.create();
    assertThat(value(registry, SessionCountMetrics.LIVE_SESSIONS))
        .as("the first reading still serves")
        .isEqualTo(1);
  }
}
