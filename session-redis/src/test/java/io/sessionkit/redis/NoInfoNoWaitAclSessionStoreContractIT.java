package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.testkit.SessionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole SessionStore contract run as an ACL user that may not run {@code INFO} or {@code WAIT}
 * either ({@link AclIT#ACL_WITHOUT_INFO_OR_WAIT}), as on some managed services: the connector logs
 * what it cannot check or wait for, falls back, and every behaviour holds (issue 12, item 2).
 */
class NoInfoNoWaitAclSessionStoreContractIT extends SessionStoreContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.aclUserWithoutInfoOrWait();

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
