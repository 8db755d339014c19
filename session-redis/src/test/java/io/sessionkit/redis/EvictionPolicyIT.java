package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Eviction must never un-revoke a token (issue 11, item 1): a Redis whose {@code maxmemory-policy}
 * may evict keys is refused at connect unless the application accepts it explicitly (then the
 * deployment status is unhealthy), and under {@code noeviction} a full Redis refuses writes with
 * {@link StoreUnavailableException} while every revocation keeps working.
 */
class EvictionPolicyIT {

  @Test
  void anEvictingPolicyIsRefusedAtConnectNamingThePolicyAndTheOption() {
    try (RedisServer redis =
        RedisServers.startLocal("--maxmemory", "4mb", "--maxmemory-policy", "volatile-lru")) {
      assertThatThrownBy(() -> RedisConnector.connect(RedisOptions.fromUri(redis.uri())))
          .isInstanceOf(SessionException.class)
          .hasMessageContaining("maxmemory-policy volatile-lru")
          .hasMessageContaining("noeviction")
          .hasMessageContaining("onEvictingPolicy(OnEvictingPolicy.ALLOW_AND_WARN)");
      assertThatThrownBy(
              () ->
                  RedisTokenRevocationService.create(
                      RedisOptions.fromUri(redis.uri()), RevocationConfig.defaults(), null))
          .isInstanceOf(SessionException.class);
    }
  }

  @Test
  void anEvictingPolicyAcceptedExplicitlyConnectsAndReportsUnhealthy() {
    try (RedisServer redis =
            RedisServers.startLocal("--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru");
        RedisConnector connector =
            RedisConnector.connect(
                RedisOptions.fromUri(redis.uri()).toBuilder()
                    .onEvictingPolicy(RedisOptions.OnEvictingPolicy.ALLOW_AND_WARN)
                    .build())) {
      RedisDeploymentStatus status = connector.deploymentStatus();
      assertThat(status.healthy()).isFalse();
      assertThat(status.evicting()).isTrue();
      assertThat(status.maxmemoryPolicy()).contains("allkeys-lru");
      assertThat(status.warnings())
          .anySatisfy(w -> assertThat(w).contains("allkeys-lru").contains("ALLOW_AND_WARN"));
    }
  }

  @Test
  void noevictionIsHealthy() {
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()))) {
      RedisDeploymentStatus status = connector.deploymentStatus();
      assertThat(status.healthy()).isTrue();
      assertThat(status.maxmemoryPolicy()).contains("noeviction");
      assertThat(status.warnings()).isEmpty();
    }
  }

  @Test
  void aFullRedisUnderNoevictionRefusesWritesButKeepsEveryRevocation() {
    MutableClock clock = MutableClock.startingNow();
    try (RedisServer redis =
            RedisServers.startLocal("--maxmemory", "3mb", "--maxmemory-policy", "noeviction");
        RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
        RedisSessionStore sessions =
            RedisSessionStore.create(
                connector, SessionConfig.builder().clock(clock).auditLogging(false).build());
        RedisTokenRevocationService tokens =
            RedisTokenRevocationService.create(
                connector,
                RevocationConfig.builder().clock(clock).auditLogging(false).build(),
                sessions)) {
      Instant issued = clock.instant();
      List<TokenClaims> revoked = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        TokenClaims t =
            new TokenClaims("jti-" + i, "user-" + i, issued, issued.plus(Duration.ofHours(1)));
        tokens.revoke(t);
        revoked.add(t);
      }
      TokenClaims bobs =
          new TokenClaims("jti-bob", "bob", issued, issued.plus(Duration.ofHours(1)));
      clock.advance(Duration.ofSeconds(1));
      tokens.revokeAllForUser("bob", null);
      TokenClaims untouched =
          new TokenClaims("jti-ok", "carol", issued, issued.plus(Duration.ofHours(1)));

      // Anyone can create anonymous sessions: fill Redis with them until it refuses writes.
      String filler = "x".repeat(2048);
      StoreUnavailableException full = null;
      for (int i = 0; i < 10_000 && full == null; i++) {
        try {
          sessions.create(SessionChanges.builder().set("filler", filler).build());
        } catch (StoreUnavailableException e) {
          full = e;
        }
      }
      assertThat(full).as("Redis never became full").isNotNull();
      assertThat(full).hasMessageContaining("OOM");

      for (TokenClaims t : revoked) {
        TokenCheck c = tokens.check(t);
        assertThat(c.reason()).as(t.tokenId()).contains(RevocationReason.REVOKED);
      }
      assertThat(tokens.check(bobs).reason()).contains(RevocationReason.ALL_REVOKED);
      assertThat(tokens.check(untouched).isActive()).isTrue();
      TokenClaims late =
          new TokenClaims("jti-late", "dave", issued, issued.plus(Duration.ofHours(1)));
      assertThatThrownBy(() -> tokens.revoke(late))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("OOM");
      assertThat(Long.parseLong(redis.info("stats").get("evicted_keys"))).isZero();
    }
  }
}
