package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.testkit.SessionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SessionStore contract with {@link RedisOptions.Counting#EXACT}: keeping the cluster-wide
 * counts changes no behaviour of the store, and (the contract counts backend operations) no
 * command.
 */
class CountingSessionStoreContractIT extends SessionStoreContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.standaloneCounting();

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
