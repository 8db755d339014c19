package io.sessionkit.redis;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.testkit.TokenRevocationContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TokenRevocationService and refresh-token contract against a real standalone redis-server (or
 * REDIS_URL).
 */
class RedisTokenRevocationContractIT extends TokenRevocationContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.standalone();

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
