package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.redis.RedisCluster;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The near cache on a real 3-master Redis Cluster: PUBLISH reaches subscribers on every node, so a
 * delete or revocation on one server is refused by another as soon as the message arrives,
 * whichever slots the sessions and tokens live in. The entries' maximum age is set to a minute here,
 * so that only a delivered invalidation can explain a refusal within the test's patience.
 */
class NearCacheClusterIT {
  private static final int TRIALS = 100;

  @Test
  void invalidationsCrossTheClusterWithinTheBound() {
    NearCacheOptions options = NearCacheOptions.builder().maxAge(Duration.ofMinutes(1)).build();
    Duration patience = Duration.ofSeconds(5);
    try (RedisCluster cluster = RedisServers.cluster(3);
        RedisConnector ca = RedisConnector.connect(RedisOptions.cluster(cluster.seedUris()));
        RedisConnector cb = RedisConnector.connect(RedisOptions.cluster(cluster.seedUris()));
        NearCache na = NearCache.create(ca, options);
        NearCache nb = NearCache.create(cb, options)) {
      // The tokens below are stamped before the services start: a new store, not one that lost its memory.
      RedisTokenRevocationService.adoptStore(ca, Instant.EPOCH);
      SessionConfig config = SessionConfig.builder().auditLogging(false).build();
      RevocationConfig revocation = RevocationConfig.builder().auditLogging(false).build();
      RedisSessionStore plainA = RedisSessionStore.create(ca, config);
      NearCachedSessionStore a = na.sessions(plainA);
      NearCachedSessionStore b = nb.sessions(RedisSessionStore.create(cb, config));
      NearCachedTokenRevocationService ta = na.tokens(RedisTokenRevocationService.create(ca, revocation, plainA));
      NearCachedTokenRevocationService tb = nb.tokens(RedisTokenRevocationService.create(cb, revocation));
      long worst = 0;
      Instant issued = Instant.now().minusSeconds(5);
      for (int i = 0; i < TRIALS; i++) {
        String id = a.login(null, "cluster-user-" + i).sessionOrThrow().id();
        assertThat(b.access(id).isActive()).isTrue();
        long hits = b.hitCount();
        assertThat(b.access(id).isActive()).isTrue();
        assertThat(b.hitCount()).isEqualTo(hits + 1);
        TokenClaims t = new TokenClaims(UUID.randomUUID().toString(), "cluster-user-" + i, issued,
            issued.plusSeconds(3600));
        assertThat(tb.check(t).isActive()).isTrue();
        assertThat(tb.check(t).isActive()).isTrue();

        a.delete(id, EndReason.LOGOUT);
        ta.revoke(t);
        long returned = System.nanoTime();
        long giveUp = returned + patience.toNanos();
        long refusedAt;
        while (true) {
          long start = System.nanoTime();
          if ((!b.access(id).isActive() && !tb.check(t).isActive()) || start > giveUp) {
            refusedAt = start;
            break;
          }
        }
        worst = Math.max(worst, refusedAt - returned);
      }
      System.out.printf("near cache on Redis Cluster: %d trials, slowest refusal %.3f ms after the revoke returned%n",
          TRIALS, worst / 1e6);
      assertThat(worst).as("every trial refused once the invalidation arrived, long before the entries' max age")
          .isLessThan(patience.toNanos());
      tb.close();
      ta.close();
      b.close();
      a.close();
    }
  }
}
