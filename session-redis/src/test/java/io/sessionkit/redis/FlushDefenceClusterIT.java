package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenKeys;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.RecordingRevocationListener;
import io.sessionkit.testkit.redis.RedisServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The flush defence on Redis Cluster, where one node can lose its memory alone (a restart without
 * persistence): the check stays single-slot, the slots of that node find their epochs missing, and
 * every token issued before the detection is refused on every node (issue 11, item 2).
 */
class FlushDefenceClusterIT {
  @RegisterExtension static final RedisFixture redis = RedisFixture.cluster(3);

  /** Whether this master serves the key's slot and holds the key (other masters answer MOVED). */
  private static boolean holds(RedisServer master, String key) {
    try {
      return Long.valueOf(1).equals(master.call("EXISTS", key));
    } catch (UncheckedIOException e) {
      if (String.valueOf(e.getMessage()).contains("MOVED")) {
        return false;
      }
      throw e;
    }
  }

  @Test
  void oneNodeLosingItsMemoryRefusesEveryEarlierTokenOnEveryNode() {
    redis.flushAllAsNewStore();
    MutableClock clock = MutableClock.startingNow();
    RecordingRevocationListener events = new RecordingRevocationListener();
    try (RedisTokenRevocationService tokens =
        RedisTokenRevocationService.create(
            redis.connector(),
            RevocationConfig.builder()
                .clock(clock)
                .auditLogging(false)
                .addListener(events)
                .build())) {
      Instant issued = clock.instant();
      TokenClaims revoked =
          new TokenClaims("jti-revoked", "alice", issued, issued.plus(Duration.ofHours(1)));
      tokens.revoke(revoked);
      Keys keys = new Keys(RedisOptions.DEFAULT_KEY_PREFIX);
      String mark =
          keys.tokenMark(
              TokenKeys.revocationTag("jti-revoked", "alice"),
              TokenKeys.revocationDigest("jti-revoked"));
      List<RedisServer> masters = redis.cluster().masters();
      RedisServer holder = masters.stream().filter(m -> holds(m, mark)).findFirst().orElseThrow();
      // a token of a subject whose slot lives on another node, never revoked
      TokenClaims elsewhere = null;
      for (int i = 0; elsewhere == null; i++) {
        String subject = "user-" + i;
        String g = keys.globalWatermark(TokenKeys.revocationTag("x", subject));
        if (!holds(holder, g)) {
          elsewhere =
              new TokenClaims("jti-" + i, subject, issued, issued.plus(Duration.ofHours(1)));
        }
      }
      assertThat(tokens.check(elsewhere).isActive()).isTrue();

      holder.flushAll(); // this node restarted empty
      clock.advance(Duration.ofSeconds(1));

      assertThat(tokens.check(revoked).reason()).contains(RevocationReason.GLOBALLY_REVOKED);
      assertThat(tokens.check(elsewhere).reason()).contains(RevocationReason.GLOBALLY_REVOKED);
      assertThat(events.events(RecordingRevocationListener.Kind.MEMORY_LOSS_DETECTED)).hasSize(1);
      Instant after = clock.instant().plus(RevocationConfig.DEFAULT_CLOCK_SKEW);
      assertThat(
              tokens
                  .check(
                      new TokenClaims("jti-new", "alice", after, after.plus(Duration.ofHours(1))))
                  .isActive())
          .isTrue();
    }
  }
}
