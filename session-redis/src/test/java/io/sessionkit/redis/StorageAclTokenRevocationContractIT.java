package io.sessionkit.redis;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.testkit.TokenRevocationContract;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole TokenRevocationService and refresh-token contract run as the least-privilege ACL user
 * ({@link AclIT#ACL}), showing the recommended ACL is sufficient (checklist F37).
 */
class StorageAclTokenRevocationContractIT extends TokenRevocationContract {
  private static RedisServer redis;
  private static CommandCounter commands;
  private static RedisConnector connector;

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.startLocal();
    redis.call(AclIT.ACL);
    commands = new CommandCounter();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()).toBuilder()
        .credentials("sessionkit", "s3cret-pw").build(), List.of(commands));
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
