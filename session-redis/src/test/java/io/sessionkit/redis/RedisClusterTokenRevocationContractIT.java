package io.sessionkit.redis;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.testkit.TokenRevocationContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TokenRevocationService and refresh-token contract against a real 3-master Redis Cluster
 * started by the test (the global watermark is written to every slot, on every node).
 */
class RedisClusterTokenRevocationContractIT extends TokenRevocationContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.cluster(3);

  @Override
  protected TokenRevocationService newService(RevocationConfig config, SessionStore sessions) {
    return redis.newService(config, sessions);
  }

  @Override
  protected SessionStore newSessionStore(SessionConfig config) {
    return redis.newStore(config);
  }

  @Override
  protected long backendOperations(TokenRevocationService service) {
    return redis.commands().count();
  }

  @Override
  protected void cleanSharedState() {
    redis.flushAllAsNewStore();
  }
}
