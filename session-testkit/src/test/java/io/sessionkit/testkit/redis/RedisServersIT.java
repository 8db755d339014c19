package io.sessionkit.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The launcher itself: real processes, real ports, kill and restart, a cluster that serves every
 * slot.
 */
class RedisServersIT {

  @Test
  void aLocalServerCanBeKilledAndRestartedOnTheSamePort() {
    try (RedisServer redis = RedisServers.startLocal("--maxmemory", "64mb")) {
      assertThat(redis.isLocal()).isTrue();
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(redis.workDir()).exists().endsWith(Path.of("standalone-" + redis.port()));
      assertThat(redis.call("SET", "k", "v")).isEqualTo("OK");
      assertThat(redis.call("CONFIG", "GET", "maxmemory"))
          .isEqualTo(List.of("maxmemory", String.valueOf(64 << 20)));
      redis.flushAll();
      assertThat(redis.call("DBSIZE")).isEqualTo(0L);

      redis.kill();
      assertThat(redis.isUp()).isFalse();
      assertThatThrownBy(() -> redis.call("PING")).hasMessageContaining(redis.address());

      redis.restart();
      assertThat(redis.isUp()).isTrue();
      assertThat(redis.info("server").get("tcp_port")).isEqualTo(String.valueOf(redis.port()));
    }
  }

  @Test
  void aClusterOfThreeMastersServesEverySlot() {
    try (RedisCluster cluster = RedisServers.cluster(3)) {
      assertThat(cluster.masters()).hasSize(3);
      assertThat(cluster.seedUris()).hasSize(3).allMatch(u -> u.startsWith("redis://127.0.0.1:"));
      for (RedisServer m : cluster.masters()) {
        String info = String.valueOf(m.call("CLUSTER", "INFO"));
        assertThat(info).contains("cluster_state:ok").contains("cluster_slots_assigned:16384");
      }
      assertThat(cluster.sumInfo("keyspace", "db0")).isZero();
    }
  }

  @Test
  void aClusterNeedsThreeMasters() {
    assertThatThrownBy(() -> RedisServers.cluster(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2");
  }
}
