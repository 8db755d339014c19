package io.sessionkit.redis;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.testkit.TokenRevocationContract;
import io.sessionkit.testkit.redis.RedisCluster;
import io.sessionkit.testkit.redis.RedisServers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The TokenRevocationService and refresh-token contract against a real 3-master Redis Cluster
 * started by the test (the global watermark is written to every slot, on every node).
 */
class RedisClusterTokenRevocationContractIT extends TokenRevocationContract {
  private static RedisCluster redis;
  private static CommandCounter commands;
  private static RedisConnector connector;

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.cluster(3);
    commands = new CommandCounter();
    connector = RedisConnector.connect(RedisOptions.cluster(redis.seedUris()), List.of(commands));
  }

  @AfterAll
  static void stopRedis() {
    connector.close();
    redis.close();
  }

  @Override
  protected TokenRevocationService newService(RevocationConfig config, SessionStore sessions) {
    return RedisTokenRevocationService.create(connector, config, sessions);
  }

  @Override
  protected SessionStore newSessionStore(SessionConfig config) {
    return RedisSessionStore.create(connector, config);
  }

  @Override
  protected long backendOperations(TokenRevocationService service) {
    return commands.count();
  }

  @Override
  protected void cleanSharedState() {
    redis.flushAll();
  }
}
