package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.testkit.SessionStoreContract;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SessionStore contract against a real standalone redis-server (or REDIS_URL). */
class RedisSessionStoreContractIT extends SessionStoreContract {
  private static RedisServer redis;
  private static CommandCounter commands;
  private static RedisConnector connector;

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.standalone();
    commands = new CommandCounter();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()), List.of(commands));
  }

  @AfterAll
  static void stopRedis() {
    connector.close();
    redis.close();
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
    redis.flushAll();
  }
}
