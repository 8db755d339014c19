package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.testkit.SessionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SessionStore contract against a real standalone redis-server (or REDIS_URL). */
class RedisSessionStoreContractIT extends SessionStoreContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.standalone();

  @Override
  protected SessionStore newStore(SessionConfig config) {
    return redis.newStore(config);
  }

  @Override
  protected long backendOperations(SessionStore store) {
    return redis.commands().count();
  }

  @Override
  protected void cleanSharedState() {
    redis.flushAll();
  }
}
