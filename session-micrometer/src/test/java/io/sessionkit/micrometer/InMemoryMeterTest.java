package io.sessionkit.micrometer;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;

/** The meter contract on the in-memory store and revocation service. */
class InMemoryMeterTest extends MeterContract {
  @Override
  SessionStore newStore(SessionConfig config) {
    return InMemorySessionStore.create(config);
  }

  @Override
  TokenRevocationService newTokens(RevocationConfig config, SessionStore sessions) {
    return InMemoryTokenRevocationService.create(config, sessions);
  }
}
