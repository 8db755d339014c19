package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.Digests;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenKeys;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.RecordingRevocationListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A store that lost its memory must not un-revoke anything (issue 11, item 2): after FLUSHALL every
 * token issued before the loss was noticed is refused, the loss is reported once (listener event,
 * connector status), and tokens issued after it work. RestartIT shows the same for a restart
 * without persistence.
 */
class FlushDefenceIT {
  private static final Duration SKEW = Duration.ofSeconds(60);

  @RegisterExtension static final RedisFixture redis = RedisFixture.standalone();

  private final MutableClock clock = MutableClock.startingNow();
  private final RecordingRevocationListener events = new RecordingRevocationListener();

  @BeforeEach
  void clean() {
    redis.flushAllAsNewStore();
  }

  private RedisTokenRevocationService service() {
    return RedisTokenRevocationService.create(
        redis.connector(),
        RevocationConfig.builder()
            .clock(clock)
            .clockSkew(SKEW)
            .auditLogging(false)
            .addListener(events)
            .build());
  }

  private TokenClaims token(String id, String subject, Instant issued) {
    return new TokenClaims(id, subject, issued, issued.plus(Duration.ofHours(1)));
  }

  @Test
  void afterAFlushEveryEarlierTokenIsRefusedAndTheLossIsReportedOnce() {
    try (RedisTokenRevocationService tokens = service()) {
      Instant issued = clock.instant();
      List<TokenClaims> revoked = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        TokenClaims t = token("jti-" + i, "user-" + i, issued);
        tokens.revoke(t);
        revoked.add(t);
      }
      TokenClaims bobs = token("jti-bob", "bob", issued);
      clock.advance(Duration.ofSeconds(1));
      tokens.revokeAllForUser("bob", null);
      assertThat(tokens.check(bobs).reason()).contains(RevocationReason.ALL_REVOKED);
      assertThat(events.events(RecordingRevocationListener.Kind.MEMORY_LOSS_DETECTED)).isEmpty();

      redis.flushAll(); // FLUSHALL: every mark and watermark is gone
      clock.advance(Duration.ofSeconds(1));
      Instant detected = clock.instant();

      for (TokenClaims t : revoked) {
        assertThat(tokens.check(t).reason())
            .as(t.tokenId())
            .contains(RevocationReason.GLOBALLY_REVOKED);
      }
      assertThat(tokens.check(bobs).reason()).contains(RevocationReason.GLOBALLY_REVOKED);
      // fail safe: tokens nobody revoked but issued before the loss are refused too, in every slot
      for (int i = 0; i < 20; i++) {
        assertThat(
                tokens
                    .check(token("other-" + i, "someone-" + i, detected.minusMillis(1)))
                    .isActive())
            .isFalse();
      }
      List<RecordingRevocationListener.Recorded> losses =
          events.events(RecordingRevocationListener.Kind.MEMORY_LOSS_DETECTED);
      assertThat(losses)
          .singleElement()
          .satisfies(e -> assertThat(e.notBefore()).isEqualTo(detected.plus(SKEW)));
      assertThat(redis.connector().deploymentStatus().memoryLossDetectedAt()).contains(detected);
      assertThat(redis.connector().deploymentStatus().warnings())
          .anySatisfy(w -> assertThat(w).contains("lost"));
      // every slot now holds the watermark again, without TTL
      Keys keys = new Keys(RedisOptions.DEFAULT_KEY_PREFIX);
      for (int t = 0; t < 4096; t += 97) {
        assertThat(redis.server().call("PTTL", keys.globalWatermark(Digests.tagOf(t))))
            .isEqualTo(-1L);
      }
      // tokens issued after the loss work, and can be revoked again
      TokenClaims fresh = token("jti-fresh", "alice", detected.plus(SKEW));
      assertThat(tokens.check(fresh).isActive()).isTrue();
      tokens.revoke(fresh);
      assertThat(tokens.check(fresh).reason()).contains(RevocationReason.REVOKED);
      assertThat(events.events(RecordingRevocationListener.Kind.MEMORY_LOSS_DETECTED)).hasSize(1);
    }
  }

  @Test
  void aRefreshTokenIssuedIntoALostSlotIsStampedAfterTheLossAndWorks() {
    try (RedisTokenRevocationService tokens = service()) {
      redis.flushAll();
      RefreshToken t = tokens.issue("alice");
      assertThat(t.issuedAt()).isEqualTo(clock.instant().plus(SKEW));
      assertThat(tokens.rotate(t.token()).isRotated()).isTrue();
      assertThat(events.events(RecordingRevocationListener.Kind.MEMORY_LOSS_DETECTED)).hasSize(1);
    }
  }

  @Test
  void aRotationInASlotThatLostItsEpochIsRefused() {
    try (RedisTokenRevocationService tokens = service()) {
      RefreshToken t = tokens.issue("alice");
      // only the epoch of alice's slot is lost (as a partial loss would): the family is refused
      Keys keys = new Keys(RedisOptions.DEFAULT_KEY_PREFIX);
      redis.server().call("DEL", keys.globalWatermark(Digests.tagForUser("alice")));
      assertThat(tokens.rotate(t.token()))
          .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REVOKED));
      assertThat(events.events(RecordingRevocationListener.Kind.MEMORY_LOSS_DETECTED)).hasSize(1);
    }
  }

  @Test
  void aNewServiceOnAnEmptyStoreRefusesWhatWasIssuedBeforeItStarted() {
    redis.flushAll();
    Instant before = clock.instant().minusMillis(1);
    try (RedisTokenRevocationService tokens = service()) {
      assertThat(tokens.check(token("jti-old", "alice", before)).reason())
          .contains(RevocationReason.GLOBALLY_REVOKED);
      assertThat(tokens.check(token("jti-new", "alice", clock.instant())).isActive()).isTrue();
      assertThat(events.events(RecordingRevocationListener.Kind.MEMORY_LOSS_DETECTED))
          .singleElement()
          .satisfies(e -> assertThat(e.notBefore()).isEqualTo(clock.instant()));
    }
  }

  @Test
  void aSlotOfTheEarlierFormatIsKeptAndRewrittenWithoutTtl() {
    Keys keys = new Keys(RedisOptions.DEFAULT_KEY_PREFIX);
    String tag = TokenKeys.revocationTag("jti-1", "alice");
    String old = "000000000001.000000000:99999999999999";
    redis.server().call("SET", keys.globalWatermark(tag), old, "PX", "100000");
    try (RedisTokenRevocationService tokens = service()) {
      assertThat(tokens.check(token("jti-1", "alice", clock.instant())).isActive()).isTrue();
      assertThat(redis.server().call("GET", keys.globalWatermark(tag)))
          .isEqualTo("000000000001.000000000");
      assertThat(redis.server().call("PTTL", keys.globalWatermark(tag))).isEqualTo(-1L);
      assertThat(events.events(RecordingRevocationListener.Kind.MEMORY_LOSS_DETECTED)).isEmpty();
    }
  }
}
