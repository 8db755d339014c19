package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fail closed, recover by itself: with redis-server killed (SIGKILL), every call throws
 * StoreUnavailableException instead of hanging; once the server is restarted on the same port, the
 * same store and service instances work again without a restart of the application.
 */
class RestartIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

  /** Generous guard against a hung thread, far above the command timeout; not a speed assertion. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(10);

  private static RedisServer redis;
  private static RedisConnector connector;

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.startLocal();
    connector =
        RedisConnector.connect(
            RedisOptions.fromUri(redis.uri()).toBuilder().commandTimeout(COMMAND_TIMEOUT).build());
  }

  @AfterAll
  static void stopRedis() {
    connector.close();
    redis.close();
  }

  @Test
  void callsFailClosedWhileRedisIsDownAndTheSameInstancesRecover() {
    RedisSessionStore store =
        RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build());
    RedisTokenRevocationService tokens =
        RedisTokenRevocationService.create(
            connector, RevocationConfig.builder().auditLogging(false).build(), store);
    Session before = store.create(SessionChanges.builder().set("theme", "dark").build());
    assertThat(store.access(before.id()).isActive()).isTrue();
    Instant now = Instant.now();
    TokenClaims token = new TokenClaims("jti", "alice", now, now.plusSeconds(600));
    TokenClaims revoked = new TokenClaims("jti-revoked", "bob", now, now.plusSeconds(600));
    tokens.revoke(revoked);

    redis.kill();

    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> store.access(before.id()))
                .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.create()).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.login(null, "alice"))
                .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> tokens.check(token))
                .isInstanceOf(StoreUnavailableException.class);
          }
        });

    redis.restart();

    // Lettuce reconnects in the background (backing off up to 1 s); wait for it, bounded.
    Session after = awaitRecovery(store);
    assertThat(store.access(after.id()).isActive()).isTrue();
    // Nothing was persisted, so revocations made before the crash are gone too: the flush defence
    // refuses every token issued before the loss was noticed, instead of accepting them again.
    assertThat(tokens.check(token).reason()).contains(RevocationReason.GLOBALLY_REVOKED);
    assertThat(tokens.check(revoked).reason()).contains(RevocationReason.GLOBALLY_REVOKED);
    assertThat(connector.deploymentStatus().memoryLossDetectedAt()).isPresent();
    Instant later = Instant.now().plus(RevocationConfig.DEFAULT_CLOCK_SKEW);
    TokenClaims fresh = new TokenClaims("jti-2", "alice", later, later.plusSeconds(600));
    assertThat(tokens.check(fresh).isActive()).isTrue();
    tokens.revoke(fresh);
    assertThat(tokens.check(fresh).isActive()).isFalse();
    // Nothing was persisted, so the session from before the crash is gone: absent, not an error.
    assertThat(store.access(before.id()).isActive()).isFalse();
  }

  private static Session awaitRecovery(RedisSessionStore store) {
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (true) {
      try {
        return store.create();
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the store did not recover within " + HANG_GUARD + " of the restart", e);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new AssertionError(ie);
        }
      }
    }
  }
}
