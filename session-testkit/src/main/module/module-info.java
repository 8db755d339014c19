/**
 * Contract suites for {@code SessionStore} and {@code TokenRevocationService} implementations, and
 * a launcher of real {@code redis-server} processes for tests. The suites are JUnit classes, so
 * their package is open to JUnit's reflection.
 */
module io.sessionkit.testkit {
  requires transitive io.sessionkit.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.junit.jupiter.params;
  requires org.assertj.core;

  exports io.sessionkit.testkit;
  exports io.sessionkit.testkit.redis;

  opens io.sessionkit.testkit to
      org.junit.platform.commons;
}
