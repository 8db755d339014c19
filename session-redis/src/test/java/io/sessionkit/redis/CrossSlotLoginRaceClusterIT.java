package io.sessionkit.redis;

import io.sessionkit.testkit.redis.RedisCluster;
import io.sessionkit.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CrossSlotLoginRaces} on a 3-master Redis Cluster, where the current session and the user
 * usually live on different nodes: two connectors stand for two servers.
 */
class CrossSlotLoginRaceClusterIT extends CrossSlotLoginRaces {
  private static RedisCluster cluster;
  private static RedisConnector a;
  private static RedisConnector b;

  @BeforeAll
  static void start() {
    System.out.println("CrossSlotLoginRaceClusterIT seed=" + SEED);
    cluster = RedisServers.cluster(3);
    a = RedisConnector.connect(RedisOptions.cluster(cluster.seedUris()));
    b = RedisConnector.connect(RedisOptions.cluster(cluster.seedUris()));
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    cluster.close();
  }

  @Override
  RedisConnector serverA() {
    return a;
  }

  @Override
  RedisConnector serverB() {
    return b;
  }

  @Override
  void flushAll() {
    cluster.flushAll();
  }
}
