package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the contract suite does not reach. */
class InMemoryTokenRevocationServiceTest {
  private final TestClock clock = new TestClock();
  private final RevocationConfig config =
      RevocationConfig.builder().clock(clock).auditLogging(false).build();

  @Test
  void worksWithoutASessionStore() {
    InMemoryTokenRevocationService service = InMemoryTokenRevocationService.create(config);
    Instant issued = clock.instant();
    Instant mark = clock.advance(Duration.ofSeconds(1));
    assertThat(service.revokeAllForUser("alice", null)).isEqualTo(mark.plus(config.clockSkew()));
    TokenClaims old = new TokenClaims("j", "alice", issued, issued.plus(Duration.ofHours(1)));
    assertThat(service.check(old).reason()).contains(RevocationReason.ALL_REVOKED);
  }

  @Test
  void aRetryWithinTheGraceWindowIsRefusedOnceTheUserWasRevoked() {
    InMemoryTokenRevocationService service = InMemoryTokenRevocationService.create(config);
    RefreshToken first = service.issue("alice");
    assertThat(service.rotate(first.token()).isRotated()).isTrue();
    clock.advance(Duration.ofMillis(1));
    service.revokeAllForUser("alice", null);
    assertThat(service.rotate(first.token()))
        .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REVOKED));
  }

  @Test
  void aRetryAfterTheSuccessorWasSpentStillGetsTheSameSuccessorWithinTheWindow() {
    InMemoryTokenRevocationService service = InMemoryTokenRevocationService.create(config);
    RefreshToken first = service.issue("alice");
    RefreshToken second = ((RefreshResult.Rotated) service.rotate(first.token())).successor();
    RefreshToken third = ((RefreshResult.Rotated) service.rotate(second.token())).successor();
    RefreshResult retry = service.rotate(first.token());
    assertThat(retry).isEqualTo(new RefreshResult.Rotated(second, true));
    assertThat(third.familyHandle()).isEqualTo(first.familyHandle());
  }

  @Test
  void checksAndRotationsReachTheMapsButGarbageDoesNot() {
    InMemoryTokenRevocationService service = InMemoryTokenRevocationService.create(config);
    Instant now = clock.instant();
    service.check(new TokenClaims("j", "alice", now, now.plusSeconds(60)));
    long afterCheck = service.backendOperations();
    assertThat(afterCheck).isPositive();
    service.rotate("garbage");
    service.revokeFamily("*");
    service.check(new TokenClaims("", "alice", now, now.plusSeconds(60)));
    service.check(new TokenClaims("j", "alice", now.minusSeconds(120), now.minusSeconds(60)));
    assertThat(service.backendOperations()).isEqualTo(afterCheck);
  }

  @Test
  void aRevocationOfAnotherSubjectsTokenWithTheSameIdIsSeparate() {
    InMemoryTokenRevocationService service = InMemoryTokenRevocationService.create(config);
    Instant now = clock.instant();
    service.revoke(new TokenClaims("same-jti", "alice", now, now.plusSeconds(600)));
    assertThat(
            service
                .check(new TokenClaims("same-jti", "alice", now, now.plusSeconds(600)))
                .isActive())
        .isFalse();
    assertThat(
            service.check(new TokenClaims("same-jti", "bob", now, now.plusSeconds(600))).isActive())
        .isTrue();
  }

  @Test
  void aMarkLastsUntilExpiryPlusSkewThenIsForgotten() {
    InMemoryTokenRevocationService service = InMemoryTokenRevocationService.create(config);
    Instant now = clock.instant();
    TokenClaims t = new TokenClaims("j", "alice", now, now.plusSeconds(600));
    service.revoke(t);
    // check with a claim that claims a later expiry, to see the mark itself rather than EXPIRED
    TokenClaims longer = new TokenClaims("j", "alice", now, now.plus(Duration.ofDays(1)));
    clock.advance(Duration.ofSeconds(600).plus(config.clockSkew()).minusMillis(1));
    assertThat(service.check(longer).reason()).contains(RevocationReason.REVOKED);
    clock.advance(Duration.ofMillis(2));
    assertThat(service.check(longer).isActive()).isTrue();
  }
}
