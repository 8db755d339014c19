package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.testkit.SessionStoreContract;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole SessionStore contract run as the least-privilege ACL user that SECURITY.md and the
 * README recommend ({@link AclIT#ACL}: key pattern {@code sk:*}, no dangerous command), showing the
 * ACL is sufficient (checklist F37). The test's own administration (FLUSHALL) uses the default
 * user; SessionKit's connection authenticates as {@code sessionkit}.
 */
class StorageAclSessionStoreContractIT extends SessionStoreContract {
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
