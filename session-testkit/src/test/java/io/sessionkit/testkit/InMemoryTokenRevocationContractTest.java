package io.sessionkit.testkit;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;

/**
 * The {@link TokenRevocationService} contract, run against {@link InMemoryTokenRevocationService}.
 */
class InMemoryTokenRevocationContractTest extends TokenRevocationContract {
  @Override
  protected TokenRevocationService newService(RevocationConfig config, SessionStore sessions) {
    return InMemoryTokenRevocationService.create(config, sessions);
  }

  @Override
  protected SessionStore newSessionStore(SessionConfig config) {
    return InMemorySessionStore.create(config);
  }

  @Override
  protected long backendOperations(TokenRevocationService service) {
    return ((InMemoryTokenRevocationService) service).backendOperations();
  }
}
