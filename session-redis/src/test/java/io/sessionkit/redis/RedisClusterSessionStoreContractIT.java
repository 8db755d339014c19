package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.testkit.SessionStoreContract;
import io.sessionkit.testkit.redis.RedisCluster;
import io.sessionkit.testkit.redis.RedisServers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The SessionStore contract against a real 3-master Redis Cluster started by the test: every
 * script touches one hash slot, so none fails with CROSSSLOT, and MOVED routing works.
 */
class RedisClusterSessionStoreContractIT extends SessionStoreContract {
  private static RedisCluster cluster;
  private static CommandCounter commands;
  private static RedisConnector connector;

  @BeforeAll
  static void startCluster() {
    cluster = RedisServers.cluster(3);
    commands = new CommandCounter();
    connector = RedisConnector.connect(RedisOptions.cluster(cluster.seedUris()), List.of(commands));
  }

  @AfterAll
  static void stopCluster() {
    connector.close();
    cluster.close();
  }

  @Override
  protected SessionStore newStore(SessionConfig config) {
    return RedisSessionStore.create(connector, config);
  }

  @Override
  protected long backendOperations(SessionStore store) {
    return commands.count();
  }

  @Override
  protected void cleanSharedState() {
    cluster.flushAll();
  }
}
