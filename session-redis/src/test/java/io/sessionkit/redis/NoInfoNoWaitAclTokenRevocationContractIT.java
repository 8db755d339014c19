package io.sessionkit.redis;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.testkit.TokenRevocationContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole TokenRevocationService and refresh-token contract run as an ACL user that may not run
 * {@code INFO} or {@code WAIT} either ({@link AclIT#ACL_WITHOUT_INFO_OR_WAIT}), as on some managed
 * services: the connector logs what it cannot check or wait for, falls back, and every behaviour
 * holds (issue 12, item 2).
 */
class NoInfoNoWaitAclTokenRevocationContractIT extends TokenRevocationContract {
  @RegisterExtension static final RedisFixture redis = RedisFixture.aclUserWithoutInfoOrWait();

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
