package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two servers on one Redis whose clocks differ by 5 minutes, with the clock skew set to 5 minutes
 * (issue 11, item 5): decisions that deny hold on both. The fast server's clock reads 5 minutes
 * later than the slow one's at every real instant.
 */
class TokenClockSkewIT {
  private static final Duration SKEW = Duration.ofMinutes(5);

  @RegisterExtension static final RedisFixture redis = RedisFixture.standalone();

  private final MutableClock slowClock = MutableClock.startingNow();
  private final MutableClock fastClock = MutableClock.startingAt(slowClock.instant().plus(SKEW));
  private RedisTokenRevocationService slow;
  private RedisTokenRevocationService fast;

  @BeforeEach
  void start() {
    redis.flushAllAsNewStore();
    slow = service(slowClock);
    fast = service(fastClock);
  }

  @AfterEach
  void stop() {
    slow.close();
    fast.close();
  }

  private static RedisTokenRevocationService service(MutableClock clock) {
    return RedisTokenRevocationService.create(
        redis.connector(),
        RevocationConfig.builder().clock(clock).clockSkew(SKEW).auditLogging(false).build());
  }

  /** Real time passes on both servers. */
  private void elapse(Duration d) {
    slowClock.advance(d);
    fastClock.advance(d);
  }

  @Test
  void aTokenTheFastServerIssued10sBeforeRevokeAllOnTheSlowOneIsRefused() {
    Instant issuedByFast = fastClock.instant();
    TokenClaims token =
        new TokenClaims(
            "jti-fast", "alice", issuedByFast, issuedByFast.plus(Duration.ofMinutes(15)));
    elapse(Duration.ofSeconds(10));
    slow.revokeAllForUser("alice", null);
    assertThat(slow.check(token).reason()).contains(RevocationReason.ALL_REVOKED);
    assertThat(fast.check(token).reason()).contains(RevocationReason.ALL_REVOKED);
  }

  @Test
  void aRefreshRotationOnTheFastServerDoesNotSurviveRevokeAllOnTheSlowOne() {
    RefreshToken first = fast.issue("alice");
    elapse(Duration.ofMinutes(1));
    RefreshToken rotated = ((RefreshResult.Rotated) fast.rotate(first.token())).successor();
    elapse(Duration.ofSeconds(10));
    slow.revokeAllForUser("alice", null);
    elapse(Duration.ofMinutes(1));
    assertThat(fast.rotate(rotated.token()))
        .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REVOKED));
    assertThat(slow.rotate(rotated.token()))
        .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REVOKED));
    // and a token issued after the revocation works on both
    RefreshToken fresh = fast.issue("alice");
    RefreshToken next = ((RefreshResult.Rotated) slow.rotate(fresh.token())).successor();
    assertThat(fast.rotate(next.token()).isRotated()).isTrue();
  }

  @Test
  void revokeOfATokenTheFastServerThinksJustExpiredStillHoldsOnTheSlowServer() {
    Instant expiresAt = slowClock.instant().plus(Duration.ofMinutes(2));
    TokenClaims token =
        new TokenClaims("jti-ending", "alice", expiresAt.minus(Duration.ofHours(1)), expiresAt);
    // by the fast clock the token expired 3 minutes ago; by the slow one it has 2 minutes left
    fast.revoke(token);
    assertThat(slow.check(token).reason()).contains(RevocationReason.REVOKED);
    elapse(Duration.ofSeconds(119));
    assertThat(slow.check(token).reason()).contains(RevocationReason.REVOKED);
  }

  @Test
  void theSlowServersRevokeAllIsSeenByTheFastServerAsAWatermarkAheadOfItsClock() {
    Instant watermark = slow.revokeAllForUser("alice", null);
    assertThat(watermark).isEqualTo(slowClock.instant().plus(SKEW));
    Instant justAfter = fastClock.instant().plusMillis(1);
    TokenClaims later =
        new TokenClaims("jti-later", "alice", justAfter, justAfter.plus(Duration.ofMinutes(15)));
    assertThat(fast.check(later).isActive()).isTrue();
  }
}
