package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.Digests;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.RecordingRevocationListener;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * {@code revokeAllIssuedBefore} writes one copy of the global watermark per slot; when some of
 * those writes fail, the caller is told (it is not left believing every token is refused) and
 * calling again completes it (issue 11, item 10). Part of the writes is made to fail for real: the
 * ACL user loses write access to the keys of half the slot tags in the middle of the deployment's
 * life.
 */
class GlobalRevocationPartialFailureIT {

  /** A subject whose slot tag satisfies {@code tagIndex}. */
  private static String subjectWhere(IntPredicate tagIndex) {
    for (int i = 0; ; i++) {
      String s = "user-" + i;
      String tag = Digests.tagForUser(s);
      for (int t = 0; t < 4096; t++) {
        if (Digests.tagOf(t).equals(tag)) {
          if (tagIndex.test(t)) {
            return s;
          }
          break;
        }
      }
    }
  }

  @Test
  void aPartlyFailedGlobalRevocationIsReportedAndARetryCompletesIt() {
    MutableClock clock = MutableClock.startingNow();
    RecordingRevocationListener events = new RecordingRevocationListener();
    RevocationConfig config =
        RevocationConfig.builder().clock(clock).auditLogging(false).addListener(events).build();
    try (RedisServer redis = RedisServers.startLocal()) {
      redis.call(AclIT.ACL);
      RedisOptions admin = RedisOptions.fromUri(redis.uri());
      RedisOptions limited = admin.toBuilder().credentials("sessionkit", "s3cret-pw").build();
      try (RedisTokenRevocationService writer =
              RedisTokenRevocationService.create(limited, config, null);
          RedisTokenRevocationService reader =
              RedisTokenRevocationService.create(
                  admin,
                  RevocationConfig.builder().clock(clock).auditLogging(false).build(),
                  null)) {
        Instant issued = clock.instant();
        String lowSlot = subjectWhere(t -> t < 2048);
        String highSlot = subjectWhere(t -> t >= 2048);
        TokenClaims low =
            new TokenClaims("jti-low", lowSlot, issued, issued.plus(Duration.ofHours(1)));
        TokenClaims high =
            new TokenClaims("jti-high", highSlot, issued, issued.plus(Duration.ofHours(1)));
        Instant notBefore = clock.advance(Duration.ofSeconds(1));

        // Keys of the tags 0..2047 (first tag character A-Z or a-f) stay writable, the others not.
        redis.call("ACL", "SETUSER", "sessionkit", "resetkeys", "~sk:{[A-Za-f]*");
        assertThatThrownBy(() -> writer.revokeAllIssuedBefore(notBefore))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("wrote 2048 of 4096")
            .hasMessageContaining("call it again");
        assertThat(events.events(RecordingRevocationListener.Kind.ALL_REVOKED)).isEmpty();
        assertThat(reader.check(low).reason()).contains(RevocationReason.GLOBALLY_REVOKED);
        assertThat(reader.check(high).isActive()).as("the slot the failed write missed").isTrue();

        redis.call("ACL", "SETUSER", "sessionkit", "resetkeys", "~sk:*");
        writer.revokeAllIssuedBefore(notBefore);
        assertThat(reader.check(high).reason()).contains(RevocationReason.GLOBALLY_REVOKED);
        assertThat(reader.check(low).reason()).contains(RevocationReason.GLOBALLY_REVOKED);
        assertThat(events.events(RecordingRevocationListener.Kind.ALL_REVOKED))
            .singleElement()
            .satisfies(e -> assertThat(e.notBefore()).isEqualTo(notBefore));
        List<TokenClaims> after = new ArrayList<>();
        after.add(
            new TokenClaims("jti-after", highSlot, notBefore, notBefore.plus(Duration.ofHours(1))));
        assertThat(reader.check(after.get(0)).isActive()).isTrue();
      }
    }
  }
}
