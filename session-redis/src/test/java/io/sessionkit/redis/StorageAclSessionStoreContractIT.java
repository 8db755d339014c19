package io.sessionkit.redis;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.testkit.SessionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole SessionStore contract run as the least-privilege ACL user that SECURITY.md and the
 * README recommend ({@link AclIT#ACL}: key pattern {@code sk:*}, no dangerous command, and none of
 * {@code CONFIG}, {@code MONITOR}, {@code CLIENT}, {@code KEYS}, {@code SCAN}), showing the ACL is
 * sufficient (checklist F37; issue 12, item 2). The test's own administration (FLUSHALL) uses the
 * default user; SessionKit's connection authenticates as {@code sessionkit}.
 */
class StorageAclSessionStoreContractIT extends SessionStoreContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.aclUser();

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
