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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The near cache on a real 3-master Redis Cluster: invalidations travel on sharded pub/sub, one
 * channel per slot tag subscribed on the master that serves it, so a delete or revocation on one
 * server is refused by another as soon as the message arrives, whichever slots the sessions and
 * tokens live in, without broadcasting every message over the cluster bus. The entries' maximum age
 * is set to a minute here, so that only a delivered invalidation can explain a refusal within the
 * test's patience.
 */
class NearCacheClusterIT {
  private static final int TRIALS = 100;

  /** Subscribers of a shard channel, summed over the masters (only its slot's master has any). */
  private static long shardSubscribers(RedisCluster cluster, String channel) {
    long n = 0;
    for (var master : cluster.masters()) {
      n +=
          Long.parseLong(
              String.valueOf(((List<?>) master.call("PUBSUB", "SHARDNUMSUB", channel)).get(1)));
    }
    return n;
  }

  private static <T> T timed(String what, Supplier<T> s) {
    long t0 = System.nanoTime();
    T r = s.get();
    System.out.printf(Locale.ROOT, "%s: %.0f ms%n", what, (System.nanoTime() - t0) / 1e6);
    return r;
  }

  @Test
  void invalidationsCrossTheClusterWithinTheBound() throws InterruptedException {
    NearCacheOptions options = NearCacheOptions.builder().maxAge(Duration.ofMinutes(1)).build();
    Duration patience = Duration.ofSeconds(5);
    try (RedisCluster cluster = RedisServers.cluster(3);
        RedisConnector ca = RedisConnector.connect(RedisOptions.cluster(cluster.seedUris()));
        RedisConnector cb = RedisConnector.connect(RedisOptions.cluster(cluster.seedUris()));
        NearCache na =
            timed(
                "NearCache.create on Cluster (4096 shard channels)",
                () -> NearCache.create(ca, options));
        NearCache nb = NearCache.create(cb, options)) {
      // The tokens below are stamped before the services start: a new store, not one that lost its
      // memory.
      RedisTokenRevocationService.adoptStore(ca, Instant.EPOCH);
      assertThat(na.isSharded()).as("Redis 7 Cluster: one shard channel per slot tag").isTrue();
      assertThat(nb.isSharded()).isTrue();
      // Every master carries the subscriptions of the tags it serves, from both servers.
      assertThat(shardSubscribers(cluster, na.channel() + "{AA}"))
          .as("{AA}'s shard channel, counted on every master")
          .isEqualTo(2);
      SessionConfig config = SessionConfig.builder().auditLogging(false).build();
      RevocationConfig revocation = RevocationConfig.builder().auditLogging(false).build();
      RedisSessionStore plainA = RedisSessionStore.create(ca, config);
      NearCachedSessionStore a = na.sessions(plainA);
      NearCachedSessionStore b = nb.sessions(RedisSessionStore.create(cb, config));
      NearCachedTokenRevocationService ta =
          na.tokens(RedisTokenRevocationService.create(ca, revocation, plainA));
      NearCachedTokenRevocationService tb =
          nb.tokens(RedisTokenRevocationService.create(cb, revocation));
      long worst = 0;
      long[] delays = new long[TRIALS];
      Instant issued = Instant.now().minusSeconds(5);
      for (int i = 0; i < TRIALS; i++) {
        String id = a.login(null, "cluster-user-" + i).sessionOrThrow().id();
        assertThat(b.access(id).isActive()).isTrue();
        long hits = b.hitCount();
        assertThat(b.access(id).isActive()).isTrue();
        assertThat(b.hitCount()).isEqualTo(hits + 1);
        TokenClaims t =
            new TokenClaims(
                UUID.randomUUID().toString(),
                "cluster-user-" + i,
                issued,
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
        delays[i] = refusedAt - returned;
        worst = Math.max(worst, delays[i]);
      }
      Arrays.sort(delays);
      System.out.printf(
          Locale.ROOT,
          "near cache on Redis Cluster (sharded pub/sub): %d trials, from"
              + " delete+revoke-returns-on-A to B-refuses-both: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
          TRIALS,
          delays[TRIALS / 2] / 1e6,
          delays[(int) Math.ceil(TRIALS * 0.99) - 1] / 1e6,
          worst / 1e6);
      assertThat(worst)
          .as("every trial refused once the invalidation arrived, long before the entries' max age")
          .isLessThan(patience.toNanos());

      // Every shard subscription dropped at once (the masters close the pub/sub clients): the near
      // cache stops serving, subscribes every channel again on the current topology, then serves.
      for (var master : cluster.masters()) {
        master.call("CLIENT", "KILL", "TYPE", "pubsub");
      }
      long back = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (shardSubscribers(cluster, na.channel() + "{AA}") < 2 && System.nanoTime() < back) {
        Thread.sleep(20);
      }
      assertThat(shardSubscribers(cluster, na.channel() + "{AA}"))
          .as("both servers subscribed again")
          .isEqualTo(2);
      assertThat(nb.awaitServing(true, Duration.ofSeconds(60))).isTrue();
      String id = a.login(null, "after-kill").sessionOrThrow().id();
      assertThat(b.access(id).isActive()).isTrue();
      assertThat(b.access(id).isActive()).isTrue();
      a.delete(id, EndReason.LOGOUT);
      long giveUp = System.nanoTime() + patience.toNanos();
      while (b.access(id).isActive() && System.nanoTime() < giveUp) {
        Thread.onSpinWait();
      }
      assertThat(b.access(id).isActive())
          .as("invalidations flow again after the resubscription")
          .isFalse();
      tb.close();
      ta.close();
      b.close();
      a.close();
    }
  }
}
