package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bytes of Redis memory per session: the {@code used_memory} delta over 10,000 sessions with four
 * small attributes, on a fresh local redis-server. The budget is 400 bytes (Spring Session Data
 * Redis spends about 1,260 in its default mode and 1,720 in its indexed mode for the same data).
 */
class MemoryPerSessionIT {
  private static final int SESSIONS = 10_000;
  private static final long BUDGET = 400;

  private static RedisServer redis;
  private static RedisConnector connector;

  @BeforeAll
  static void startRedis() {
    // A server of its own: used_memory of a shared server moves with other clients' data.
    redis = RedisServers.startLocal();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
  }

  @AfterAll
  static void stopRedis() {
    connector.close();
    redis.close();
  }

  private static SessionChanges fourSmallAttributes(int i) {
    return SessionChanges.builder()
        .set("theme", "dark")
        .set("locale", "en-GB")
        .set("cartItems", i % 7)
        .set("lastPage", "/products/" + i)
        .build();
  }

  private static long usedMemory() {
    return Long.parseLong(redis.info("memory").get("used_memory"));
  }

  @Test
  void anonymousSessionsWithFourSmallAttributesFitTheBudget() {
    redis.flushAll();
    try (RedisSessionStore store =
        RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build())) {
      long before = usedMemory();
      for (int i = 0; i < SESSIONS; i++) {
        store.create(fourSmallAttributes(i));
      }
      long perSession = (usedMemory() - before) / SESSIONS;
      System.out.printf(
          "MemoryPerSessionIT: %d bytes per anonymous session with 4 small attributes "
              + "(used_memory delta over %,d sessions)%n",
          perSession, SESSIONS);
      assertThat(redis.call("DBSIZE")).isEqualTo((long) SESSIONS);
      assertThat(perSession).isPositive().isLessThanOrEqualTo(BUDGET);
    }
  }

  @Test
  void signedInSessionsCostTheirIndexEntryOnTop() {
    redis.flushAll();
    try (RedisSessionStore store =
        RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build())) {
      long before = usedMemory();
      // 2,000 users with 5 sessions each: the per-user index is shared by a user's sessions.
      for (int i = 0; i < SESSIONS; i++) {
        String id = store.login(null, "user-" + (i % 2_000)).sessionOrThrow().id();
        store.update(id, fourSmallAttributes(i));
      }
      long perSession = (usedMemory() - before) / SESSIONS;
      System.out.printf(
          "MemoryPerSessionIT: %d bytes per signed-in session with 4 small attributes "
              + "(2,000 users x 5 sessions, index included)%n",
          perSession);
      assertThat(perSession).isPositive();
    }
  }
}
