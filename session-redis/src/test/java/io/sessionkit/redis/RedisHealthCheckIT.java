package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisHealthCheck} against a real redis-server: UP when reachable with a safe eviction
 * policy, DOWN when the server is killed and UP again after it restarts, DOWN for an evicting
 * policy or missing replicas, DEGRADED while the near cache's subscription is down.
 */
class RedisHealthCheckIT {
  /** Polls the check until it says what the test expects, or gives up after a generous deadline. */
  private static HealthReport until(RedisHealthCheck health, Predicate<HealthReport> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HealthReport r = health.check();
    while (!wanted.test(r) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      r = health.check();
    }
    return r;
  }

  @Test
  void downWhenRedisIsKilledAndUpAfterItRestarts() throws Exception {
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
        NearCache near = NearCache.create(connector, NearCacheOptions.defaults())) {
      RedisHealthCheck health =
          RedisHealthCheck.builder(connector)
              .nearCache(near)
              .timeout(Duration.ofSeconds(1))
              .build();
      HealthReport up = health.check();
      assertThat(up.status()).isEqualTo(HealthReport.Status.UP);
      assertThat(up.details())
          .containsEntry("redis", "reachable")
          .containsEntry("evictionPolicy", "noeviction (safe)")
          .containsEntry("nearCache", "subscribed")
          .containsKey("replicas");

      redis.kill();
      HealthReport down = health.check();
      assertThat(down.status()).isEqualTo(HealthReport.Status.DOWN);
      assertThat(down.details().get("redis")).startsWith("unreachable within PT1S");

      redis.restart();
      HealthReport back = until(health, HealthReport::isUp);
      assertThat(back.status()).as(back.details().toString()).isEqualTo(HealthReport.Status.UP);
      assertThat(back.details()).containsEntry("nearCache", "subscribed");
    }
  }

  @Test
  void anEvictingPolicyIsDownAndMissingReplicasAreDown() {
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector =
            RedisConnector.connect(
                RedisOptions.fromUri(redis.uri()).toBuilder()
                    .durability(RedisOptions.Durability.REPLICATED)
                    .minReplicas(1)
                    .build())) {
      RedisHealthCheck health = RedisHealthCheck.builder(connector).build();
      HealthReport noReplica = health.check();
      assertThat(noReplica.status()).isEqualTo(HealthReport.Status.DOWN);
      assertThat(noReplica.details())
          .containsEntry("replicas", "0 connected, 1 required")
          .containsEntry("evictionPolicy", "noeviction (safe)");

      redis.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
      // Accepted at connect only when the application takes the risk; health still says DOWN.
      try (RedisConnector plain =
          RedisConnector.connect(
              RedisOptions.fromUri(redis.uri()).toBuilder()
                  .onEvictingPolicy(RedisOptions.OnEvictingPolicy.ALLOW_AND_WARN)
                  .build())) {
        HealthReport evicting = RedisHealthCheck.builder(plain).build().check();
        assertThat(evicting.status()).isEqualTo(HealthReport.Status.DOWN);
        assertThat(evicting.details().get("evictionPolicy")).startsWith("allkeys-lru (unsafe");
        redis.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        assertThat(RedisHealthCheck.builder(plain).build().check().status())
            .isEqualTo(HealthReport.Status.UP);
      }
    }
  }

  @Test
  void degradedWhileTheNearCacheIsNotSubscribed() throws Exception {
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()))) {
      NearCache near = NearCache.create(connector, NearCacheOptions.defaults());
      RedisHealthCheck health = RedisHealthCheck.builder(connector).nearCache(near).build();
      assertThat(health.check().status()).isEqualTo(HealthReport.Status.UP);
      near.close();
      HealthReport r = health.check();
      assertThat(r.status()).isEqualTo(HealthReport.Status.DEGRADED);
      assertThat(r.details())
          .containsEntry("redis", "reachable")
          .containsEntry("nearCache", "not subscribed (reading Redis on every call)");
    }
  }

  @Test
  void aClosedConnectorIsDownWithoutThrowing() {
    try (RedisServer redis = RedisServers.startLocal()) {
      RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
      RedisHealthCheck health = RedisHealthCheck.builder(connector).build();
      connector.close();
      HealthReport r = health.check();
      assertThat(r.status()).isEqualTo(HealthReport.Status.DOWN);
      assertThat(r.details()).containsEntry("redis", "connector closed");
    }
  }
}
