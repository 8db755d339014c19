package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.testkit.SessionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SessionStore contract against a real 3-master Redis Cluster started by the test: every script
 * touches one hash slot, so none fails with CROSSSLOT, and MOVED routing works.
 */
class RedisClusterSessionStoreContractIT extends SessionStoreContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.cluster(3);

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
