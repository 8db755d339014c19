package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.AccessResult;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When the invalidation subscription drops, messages may be lost: the near cache must empty itself
 * and stop serving (every call goes to Redis, and so fails while Redis is down) until the
 * subscription is confirmed again. Kills and restarts a real redis-server.
 */
class NearCacheFailClosedIT {

  @Test
  void aDroppedSubscriptionEmptiesTheCacheAndStopsServingUntilResubscribed() throws Exception {
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
        NearCache near =
            NearCache.create(
                connector, NearCacheOptions.builder().maxAge(Duration.ofMinutes(1)).build());
        NearCachedSessionStore store =
            near.sessions(
                RedisSessionStore.create(
                    connector, SessionConfig.builder().auditLogging(false).build()))) {
      String id = store.create().id();
      assertThat(store.access(id).isActive()).isTrue();
      long hits = store.hitCount();
      assertThat(store.access(id).isActive()).isTrue();
      assertThat(store.hitCount()).isEqualTo(hits + 1);
      assertThat(near.isServing()).isTrue();

      redis.kill();
      assertThat(near.awaitServing(false, Duration.ofSeconds(10)))
          .as("stops serving once the connection drops")
          .isTrue();
      // The entry would still be young enough to serve (maxAge is a minute): the cache must not use
      // it.
      assertThatThrownBy(() -> store.access(id)).isInstanceOf(StoreUnavailableException.class);
      assertThat(store.hitCount()).isEqualTo(hits + 1);

      redis.restart();
      assertThat(near.awaitServing(true, Duration.ofSeconds(30)))
          .as("serves again once resubscribed")
          .isTrue();
      // The subscription and the command connection reconnect independently: wait for the latter
      // too.
      // The restarted server has no data, and the cache was emptied: the old id is gone everywhere.
      assertThat(accessOnceConnected(store, id, Duration.ofSeconds(30)).isActive()).isFalse();

      String fresh = store.create().id();
      hits = store.hitCount();
      assertThat(store.access(fresh).isActive()).isTrue();
      assertThat(store.hitCount()).isEqualTo(hits + 1);
    }
  }

  /**
   * Accesses once the command connection is back, retrying only while Redis is still unreachable.
   */
  private static AccessResult accessOnceConnected(
      NearCachedSessionStore store, String id, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        return store.access(id);
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }
}
