package io.sessionkit.testkit;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;

/** The {@link SessionStore} contract, run against {@link InMemorySessionStore}. */
class InMemorySessionStoreContractTest extends SessionStoreContract {
  @Override
  protected SessionStore newStore(SessionConfig config) {
    return InMemorySessionStore.create(config);
  }

  @Override
  protected long backendOperations(SessionStore store) {
    return ((InMemorySessionStore) store).backendOperations();
  }
}
