package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.AccessResult;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A near-cached delete whose {@code WAIT} for the replicas fails after the delete script ran: the
 * session is gone on the master, so the writer must drop its own entry and tell the other servers
 * before it reports the failure. Server A requires one replica that does not exist (its WAIT always
 * comes back short); server B keeps entries a minute, so only the invalidation can make it refuse.
 */
class NearCacheFailedWaitIT {

  @Test
  void aDeleteWhoseWaitFailsStillDropsTheEntryEverywhereThenThrows() throws Exception {
    NearCacheOptions minute = NearCacheOptions.builder().maxAge(Duration.ofMinutes(1)).build();
    SessionConfig config = SessionConfig.builder().auditLogging(false).build();
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector ca =
            RedisConnector.connect(
                RedisOptions.builder()
                    .uri(redis.uri())
                    .commandTimeout(Duration.ofMillis(400))
                    .minReplicas(1)
                    .build());
        RedisConnector cb = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
        NearCache na = NearCache.create(ca, minute);
        NearCache nb = NearCache.create(cb, minute);
        NearCachedSessionStore a = na.sessions(RedisSessionStore.create(ca, config));
        NearCachedSessionStore b = nb.sessions(RedisSessionStore.create(cb, config))) {
      String id = a.login(null, "alice").sessionOrThrow().id();
      assertThat(a.access(id).isActive()).isTrue();
      assertThat(b.access(id).isActive()).isTrue();
      long hitsA = a.hitCount();
      long hitsB = b.hitCount();
      assertThat(a.access(id).isActive()).isTrue();
      assertThat(b.access(id).isActive()).isTrue();
      assertThat(a.hitCount()).as("A serves it from memory").isEqualTo(hitsA + 1);
      assertThat(b.hitCount()).as("B serves it from memory").isEqualTo(hitsB + 1);

      assertThatThrownBy(() -> a.delete(id, EndReason.LOGOUT))
          .as("the WAIT came back short: the caller is told")
          .isInstanceOf(StoreUnavailableException.class);

      assertThat(a.access(id))
          .as("A forgot its entry and reads the tombstone")
          .isEqualTo(AccessResult.ended(EndReason.LOGOUT));
      long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      AccessResult onB = b.access(id);
      while (onB.isActive() && System.nanoTime() < giveUp) {
        Thread.sleep(5);
        onB = b.access(id);
      }
      assertThat(onB)
          .as("B heard the invalidation (its entries live a minute)")
          .isEqualTo(AccessResult.ended(EndReason.LOGOUT));
    }
  }
}
