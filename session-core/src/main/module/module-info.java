/**
 * SessionKit's core: the {@code SessionStore} and {@code TokenRevocationService} contracts, their
 * configuration, and the in-memory implementations. Only {@code io.sessionkit.core} is exported;
 * {@code io.sessionkit.core.internal} is not API.
 */
module io.sessionkit.core {
  requires transitive org.jspecify;
  requires com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports io.sessionkit.core;
}
