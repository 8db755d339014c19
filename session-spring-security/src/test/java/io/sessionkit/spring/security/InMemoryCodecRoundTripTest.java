package io.sessionkit.spring.security;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link CodecRoundTripSuite} through the in-memory store. */
class InMemoryCodecRoundTripTest extends CodecRoundTripSuite {
  private static InMemorySessionStore store;

  @BeforeAll
  static void start() {
    store = InMemorySessionStore.create(SessionConfig.builder().codec(CODEC).build());
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  @Override
  SessionStore store() {
    return store;
  }
}
