package io.sessionkit.redis;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.testkit.TokenRevocationContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole TokenRevocationService and refresh-token contract run as the least-privilege ACL user
 * ({@link AclIT#ACL}, which also denies {@code CONFIG}, {@code MONITOR}, {@code CLIENT}, {@code
 * KEYS}, {@code SCAN}), showing the recommended ACL is sufficient (checklist F37; issue 12, item
 * 2).
 */
class StorageAclTokenRevocationContractIT extends TokenRevocationContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.aclUser();

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
