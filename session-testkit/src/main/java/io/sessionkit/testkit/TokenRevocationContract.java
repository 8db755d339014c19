package io.sessionkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RefreshTokenService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationListener;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link TokenRevocationService} (and its {@link RefreshTokenService}
 * capability) must have, specified once. An implementation runs it through a small subclass:
 *
 * <pre>{@code
 * class MyRevocationContractTest extends TokenRevocationContract {
 *   protected TokenRevocationService newService(RevocationConfig c, SessionStore s) { return MyService.create(c, s); }
 *   protected SessionStore newSessionStore(SessionConfig c) { return MyStore.create(c); }
 *   protected long backendOperations(TokenRevocationService s) { return ((MyService) s).operations(); }
 * }
 * }</pre>
 *
 * <p>The service under test must also implement {@link RefreshTokenService}; the nested refresh
 * tests fail (they do not skip) if it does not.
 *
 * <p>The contract owns a {@link MutableClock} ({@link #clock}) shared by the service and its
 * session store, and records revocation events in {@link #events}. Everything made through the
 * contract is closed after each test; {@link #cleanSharedState()} runs before each test.
 *
 * <p>Default configuration: clock skew {@link #SKEW}, revocation marks capped at {@link
 * #MAX_REVOCATION_TTL}, refresh tokens living {@link #REFRESH_TTL} within a family of at most
 * {@link #FAMILY_MAX}, grace window {@link #GRACE}.
 */
public abstract class TokenRevocationContract {
  /** Clock skew of the default configuration: 60 s. */
  protected static final Duration SKEW = Duration.ofSeconds(60);

  /** Cap on revocation marks in the default configuration: 30 days. */
  protected static final Duration MAX_REVOCATION_TTL = Duration.ofDays(30);

  /** Sliding refresh token lifetime of the default configuration: 1 day. */
  protected static final Duration REFRESH_TTL = Duration.ofDays(1);

  /** Absolute refresh family lifetime of the default configuration: 3 days. */
  protected static final Duration FAMILY_MAX = Duration.ofDays(3);

  /** Refresh grace window of the default configuration: 10 s. */
  protected static final Duration GRACE = Duration.ofSeconds(10);

  /** The margin either side of a deadline: 1 ms. */
  protected static final Duration EPSILON = Duration.ofMillis(1);

  /** The clock of the service and its session store. */
  protected final MutableClock clock = MutableClock.startingNow();

  /** Records the revocation events of every service the contract builds. */
  protected final RecordingRevocationListener events = new RecordingRevocationListener();

  /** Records the session events of the session stores the contract builds. */
  protected final RecordingSessionListener sessionEvents = new RecordingSessionListener();

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private @Nullable SessionStore defaultSessions;
  private @Nullable TokenRevocationService defaultService;

  /** For subclasses. */
  protected TokenRevocationContract() {}

  /**
   * Makes the service under test.
   *
   * @param config the configuration, with the contract's clock and listener
   * @param sessions the session store whose sessions {@code revokeAllForUser} ends; made by {@link
   *     #newSessionStore(SessionConfig)} with the same clock
   * @return a new service, which must also implement {@link RefreshTokenService}
   */
  protected abstract TokenRevocationService newService(
      RevocationConfig config, SessionStore sessions);

  /**
   * Makes the session store the service works with.
   *
   * @param config the configuration, with the contract's clock
   * @return a new store
   */
  protected abstract SessionStore newSessionStore(SessionConfig config);

  /**
   * How many operations reached the backend through this service so far (Redis commands for a Redis
   * service).
   *
   * @param service a service made by {@link #newService}
   * @return a monotonic count
   */
  protected abstract long backendOperations(TokenRevocationService service);

  /** Wipes state shared between tests; called before each test. The default does nothing. */
  protected void cleanSharedState() {}

  /**
   * A second service over the same backend as {@code first}, as another server would have. The
   * default returns {@code first}, right for a service whose state lives in one process; a service
   * whose instances share state must override this.
   *
   * @param config the configuration {@code first} was made with
   * @param sessions the session store {@code first} was given
   * @param first a service made by {@link #newService}
   * @return a service that sees the same revocations; closed after the test if not {@code first}
   */
  protected TokenRevocationService newPeerService(
      RevocationConfig config, SessionStore sessions, TokenRevocationService first) {
    return first;
  }

  private TokenRevocationService peerOf(TokenRevocationService first) {
    TokenRevocationService peer = newPeerService(first.config(), sessions(), first);
    if (peer != first) {
      resources.add(peer);
    }
    return peer;
  }

  @BeforeEach
  final void setUpContract() {
    cleanSharedState();
  }

  @AfterEach
  final void closeAll() throws Exception {
    for (AutoCloseable r : resources) {
      r.close();
    }
    resources.clear();
    defaultService = null;
    defaultSessions = null;
  }

  /**
   * The default revocation configuration.
   *
   * @return a new builder
   */
  protected RevocationConfig.Builder baseConfig() {
    return RevocationConfig.builder()
        .clock(clock)
        .addListener(events)
        .auditLogging(false)
        .clockSkew(SKEW)
        .maxRevocationTtl(MAX_REVOCATION_TTL)
        .refreshTokenTtl(REFRESH_TTL)
        .refreshFamilyMaxLifetime(FAMILY_MAX)
        .refreshGraceWindow(GRACE);
  }

  /**
   * The session store shared by the services of a test.
   *
   * @return the store, made on first use
   */
  protected final synchronized SessionStore sessions() {
    SessionStore s = defaultSessions;
    if (s == null) {
      s =
          newSessionStore(
              SessionConfig.builder()
                  .clock(clock)
                  .addListener(sessionEvents)
                  .auditLogging(false)
                  .build());
      resources.add(s);
      defaultSessions = s;
    }
    return s;
  }

  /**
   * A service with the default configuration changed by {@code customizer}, over {@link
   * #sessions()}.
   *
   * @param customizer changes to {@link #baseConfig()}
   * @return the service, closed after the test
   */
  protected final TokenRevocationService service(Consumer<RevocationConfig.Builder> customizer) {
    RevocationConfig.Builder b = baseConfig();
    customizer.accept(b);
    TokenRevocationService s = newService(b.build(), sessions());
    resources.add(s);
    return s;
  }

  /**
   * The service with the default configuration.
   *
   * @return the service, made on first use in each test
   */
  protected final synchronized TokenRevocationService service() {
    TokenRevocationService s = defaultService;
    if (s == null) {
      s = service(b -> {});
      defaultService = s;
    }
    return s;
  }

  private static RefreshTokenService refresh(TokenRevocationService service) {
    assertThat(service)
        .as("the service under test must implement RefreshTokenService")
        .isInstanceOf(RefreshTokenService.class);
    return (RefreshTokenService) service;
  }

  /** A token of {@code subject} issued now, living one hour. */
  private TokenClaims token(String id, @Nullable String subject) {
    Instant now = clock.instant();
    return new TokenClaims(id, subject, now, now.plus(Duration.ofHours(1)));
  }

  private TokenClaims tokenIssuedAt(String id, @Nullable String subject, Instant issuedAt) {
    return new TokenClaims(id, subject, issuedAt, issuedAt.plus(Duration.ofHours(1)));
  }

  private static void assertRevoked(TokenCheck check, RevocationReason reason) {
    assertThat(check.isActive()).as("expected REVOKED(%s), was %s", reason, check).isFalse();
    assertThat(check.reason()).contains(reason);
  }

  static Stream<Arguments> malformedClaims() {
    Instant t = Instant.parse("2030-01-01T00:00:00Z");
    Instant exp = t.plus(Duration.ofDays(3650));
    return Stream.of(
        Arguments.of("empty token id", new TokenClaims("", "alice", t, exp)),
        Arguments.of(
            "token id too long",
            new TokenClaims("x".repeat(TokenClaims.MAX_TOKEN_ID_LENGTH + 1), "alice", t, exp)),
        Arguments.of("empty subject", new TokenClaims("jti-1", "", t, exp)),
        Arguments.of("subject too long", new TokenClaims("jti-1", "s".repeat(257), t, exp)));
  }

  // ---------------------------------------------------------------- behaviours

  @Nested
  @DisplayName("revoking one token")
  class RevokeOne {
    @Test
    void aRevokedTokenIsRefused() {
      TokenClaims t = token("jti-1", "alice");
      assertThat(service().check(t).isActive()).isTrue();
      service().revoke(t);
      assertRevoked(service().check(t), RevocationReason.REVOKED);
    }

    @Test
    void otherTokensAreUnaffected() {
      TokenClaims revoked = token("jti-1", "alice");
      service().revoke(revoked);
      assertThat(service().check(token("jti-2", "alice")).isActive()).isTrue();
      assertThat(service().check(token("jti-1x", "alice")).isActive()).isTrue();
      assertThat(service().check(token("jti-3", "bob")).isActive()).isTrue();
    }

    @Test
    void aTokenWithoutSubjectCanBeRevoked() {
      TokenClaims t = token("opaque-token-value", null);
      assertThat(service().check(t).isActive()).isTrue();
      service().revoke(t);
      assertRevoked(service().check(t), RevocationReason.REVOKED);
    }

    @Test
    void revokeIsIdempotent() {
      TokenClaims t = token("jti-1", "alice");
      service().revoke(t);
      service().revoke(t);
      assertRevoked(service().check(t), RevocationReason.REVOKED);
    }

    @Test
    void revocationIsKeptUntilExpiryPlusSkew() {
      TokenClaims t = token("jti-1", "alice");
      service().revoke(t);
      clock.set(t.expiresAt().minus(EPSILON));
      assertRevoked(service().check(t), RevocationReason.REVOKED);
      // between expiry and expiry + skew the token is refused, as revoked or as expired
      clock.set(t.expiresAt().plus(SKEW).minus(EPSILON));
      assertThat(service().check(t).isActive()).isFalse();
      assertThat(service().check(t).reason().orElseThrow())
          .isIn(RevocationReason.REVOKED, RevocationReason.EXPIRED);
      clock.set(t.expiresAt().plus(SKEW).plus(EPSILON));
      assertRevoked(service().check(t), RevocationReason.EXPIRED);
    }

    @Test
    void anExpiredTokenIsRefusedAsExpiredEvenIfNeverRevoked() {
      TokenClaims t = token("jti-1", "alice");
      clock.set(t.expiresAt().plus(SKEW).plus(EPSILON));
      assertRevoked(service().check(t), RevocationReason.EXPIRED);
    }

    @Test
    void revokingATokenThatOutlivesTheCapIsRefusedNamingBoth() {
      Instant now = clock.instant();
      TokenClaims t = new TokenClaims("jti-90-days", "alice", now, now.plus(Duration.ofDays(90)));
      assertThatThrownBy(() -> service().revoke(t))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxRevocationTtl " + MAX_REVOCATION_TTL)
          .hasMessageContaining(t.expiresAt().toString());
      // refused, but marked for as long as the cap allows
      clock.set(now.plus(MAX_REVOCATION_TTL).minus(EPSILON));
      assertRevoked(service().check(t), RevocationReason.REVOKED);
    }

    @Test
    void aTokenLivingAsLongAsTheCapStaysRevokedToItsEnd() {
      Instant now = clock.instant();
      TokenClaims t = new TokenClaims("jti-30-days", "alice", now, now.plus(MAX_REVOCATION_TTL));
      service().revoke(t);
      clock.set(t.expiresAt().minus(EPSILON));
      assertRevoked(service().check(t), RevocationReason.REVOKED);
    }

    @Test
    void aTokenExpiredLessThanTheSkewAgoIsStillMarkedForServersWhoseClockIsBehind() {
      Instant now = clock.instant();
      TokenClaims t =
          new TokenClaims(
              "jti-just-expired",
              "alice",
              now.minus(Duration.ofHours(1)),
              now.minus(Duration.ofSeconds(1)));
      service().revoke(t);
      clock.set(now.minus(SKEW).plus(Duration.ofSeconds(2))); // a server whose clock runs behind
      assertRevoked(service().check(t), RevocationReason.REVOKED);
    }

    @Test
    void revokingAnUnknownTokenSucceedsSilently() {
      assertThatCode(() -> service().revoke(token("never-issued", "nobody")))
          .doesNotThrowAnyException();
    }

    @Test
    void revokingAnExpiredTokenSucceedsWithoutBackendOperations() {
      Instant now = clock.instant();
      TokenClaims expired =
          new TokenClaims(
              "old", "alice", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
      TokenRevocationService service = service();
      long before = backendOperations(service);
      assertThatCode(() -> service.revoke(expired)).doesNotThrowAnyException();
      assertThat(backendOperations(service)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sessionkit.testkit.TokenRevocationContract#malformedClaims")
    void malformedClaimsAreRefusedWithoutBackendOperations(String label, TokenClaims claims) {
      TokenRevocationService service = service();
      long before = backendOperations(service);
      assertThatCode(() -> service.revoke(claims)).doesNotThrowAnyException();
      assertRevoked(service.check(claims), RevocationReason.MALFORMED);
      assertThat(backendOperations(service)).isEqualTo(before);
    }

    @Test
    void revocationIsReportedByDigestNeverByTokenId() {
      TokenClaims t = token("jti-secret-value", "alice");
      service().revoke(t);
      assertThat(events.events(RecordingRevocationListener.Kind.TOKEN_REVOKED))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key())
                    .isEqualTo(Digests.digest("t", "jti-secret-value"))
                    .doesNotContain("jti-secret-value");
                assertThat(e.subject()).isEqualTo("alice");
              });
    }

    @Test
    void aThrowingListenerNeitherFailsNorUndoesTheRevocation() {
      RevocationListener throwing =
          new RevocationListener() {
            @Override
            public void tokenRevoked(String tokenDigest, @Nullable String subject) {
              throw new IllegalStateException("listener failure");
            }

            @Override
            public void userRevoked(String userId, Instant notBefore) {
              throw new IllegalStateException("listener failure");
            }
          };
      TokenRevocationService service =
          newService(
              RevocationConfig.builder()
                  .clock(clock)
                  .auditLogging(false)
                  .addListener(throwing)
                  .addListener(events)
                  .build(),
              sessions());
      resources.add(service);
      TokenClaims t = token("jti-1", "alice");
      service.revoke(t);
      assertRevoked(service.check(t), RevocationReason.REVOKED);
      clock.advanceMillis(1);
      service.revokeAllForUser("bob", null);
      assertThat(events.events(RecordingRevocationListener.Kind.USER_REVOKED)).hasSize(1);
    }
  }

  @Nested
  @DisplayName("revoking all of a user's tokens")
  class UserWatermark {
    @Test
    void tokensIssuedBeforeTheWatermarkAreRefused() {
      Instant issued = clock.instant();
      TokenClaims old = tokenIssuedAt("jti-old", "alice", issued);
      clock.advance(Duration.ofSeconds(1));
      Instant watermark = service().revokeAllForUser("alice", null);
      assertRevoked(service().check(old), RevocationReason.ALL_REVOKED);
      assertRevoked(
          service().check(tokenIssuedAt("jti-just-before", "alice", watermark.minus(EPSILON))),
          RevocationReason.ALL_REVOKED);
      assertThat(service().check(tokenIssuedAt("jti-at", "alice", watermark)).isActive()).isTrue();
      assertThat(
              service()
                  .check(tokenIssuedAt("jti-after", "alice", watermark.plus(EPSILON)))
                  .isActive())
          .isTrue();
    }

    @Test
    void theWatermarkIsNowPlusTheClockSkew() {
      Instant now = clock.advance(Duration.ofSeconds(1));
      assertThat(service().revokeAllForUser("alice", null)).isEqualTo(now.plus(SKEW));
    }

    @Test
    void tokensStampedWithinTheSkewAfterTheWatermarkAreRefusedToo() {
      Instant now = clock.advance(Duration.ofSeconds(1));
      service().revokeAllForUser("alice", null);
      // issued "10 s later" by a server whose clock runs ahead: refused, the documented trade-off
      assertRevoked(
          service().check(tokenIssuedAt("jti-fast", "alice", now.plusSeconds(10))),
          RevocationReason.ALL_REVOKED);
      assertThat(service().check(tokenIssuedAt("jti-later", "alice", now.plus(SKEW))).isActive())
          .isTrue();
    }

    @Test
    void aWatermarkOutlivesTheLongestRefreshFamilyAndToken() {
      TokenRevocationService service =
          service(
              b ->
                  b.refreshTokenTtl(Duration.ofDays(40))
                      .refreshFamilyMaxLifetime(Duration.ofDays(60)));
      RefreshTokenService r = refresh(service);
      RefreshToken old = r.issue("alice");
      Instant issued = clock.instant();
      TokenClaims access =
          new TokenClaims("jti-29-days", "alice", issued, issued.plus(Duration.ofDays(29)));
      clock.advance(Duration.ofSeconds(1));
      service.revokeAllForUser("alice", null);
      clock.advance(Duration.ofDays(28));
      assertRevoked(service.check(access), RevocationReason.ALL_REVOKED);
      clock.advance(Duration.ofDays(3)); // day 31
      assertThat(r.rotate(old.token()))
          .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REVOKED));
    }

    @Test
    void otherUsersAreUnaffected() {
      TokenClaims bob = token("jti-bob", "bob");
      clock.advance(Duration.ofSeconds(1));
      service().revokeAllForUser("alice", null);
      assertThat(service().check(bob).isActive()).isTrue();
      assertThat(service().check(token("jti-none", null)).isActive()).isTrue();
    }

    @Test
    void theWatermarkEndsTheUsersSessionsExceptTheKeptOne() {
      Session a = sessions().login(null, "alice").sessionOrThrow();
      Session b = sessions().login(null, "alice").sessionOrThrow();
      Session bob = sessions().login(null, "bob").sessionOrThrow();
      clock.advance(Duration.ofSeconds(1));
      service().revokeAllForUser("alice", b.id());
      assertThat(sessions().access(a.id()).endReason()).contains(EndReason.ALL_REVOKED);
      assertThat(sessions().access(b.id(), AccessMode.PASSIVE).isActive()).isTrue();
      assertThat(sessions().access(bob.id(), AccessMode.PASSIVE).isActive()).isTrue();
    }

    @Test
    void aKeptSessionOfAnotherUserSparesNothingOfThisUser() {
      Session a = sessions().login(null, "alice").sessionOrThrow();
      Session bob = sessions().login(null, "bob").sessionOrThrow();
      clock.advance(Duration.ofSeconds(1));
      service().revokeAllForUser("alice", bob.id());
      assertThat(sessions().access(a.id()).endReason()).contains(EndReason.ALL_REVOKED);
      assertThat(sessions().access(bob.id()).isActive()).isTrue();
    }

    @Test
    void theWatermarkWithoutKeptSessionEndsThemAll() {
      Session a = sessions().login(null, "alice").sessionOrThrow();
      clock.advance(Duration.ofSeconds(1));
      service().revokeAllForUser("alice", null);
      assertThat(sessions().access(a.id()).endReason()).contains(EndReason.ALL_REVOKED);
      assertThat(sessions().listForUser("alice")).isEmpty();
      Session later = sessions().login(null, "alice").sessionOrThrow();
      assertThat(sessions().access(later.id()).isActive()).isTrue();
    }

    @Test
    void theWatermarkNeverMovesBackwards() {
      Instant first = clock.advance(Duration.ofMinutes(10)).plus(SKEW);
      assertThat(service().revokeAllForUser("alice", null)).isEqualTo(first);
      clock.set(first.minus(Duration.ofMinutes(5))); // a server whose clock runs behind
      Instant second = service().revokeAllForUser("alice", null);
      assertThat(second).isAfterOrEqualTo(first);
      assertRevoked(
          service()
              .check(tokenIssuedAt("jti-between", "alice", first.minus(Duration.ofMinutes(1)))),
          RevocationReason.ALL_REVOKED);
    }

    @Test
    void theWatermarkIsReported() {
      Instant now = clock.advance(Duration.ofSeconds(1));
      service().revokeAllForUser("alice", null);
      assertThat(events.events(RecordingRevocationListener.Kind.USER_REVOKED))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo("alice");
                assertThat(e.notBefore()).isEqualTo(now.plus(SKEW));
              });
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b", "*", "{alice}", "alice\r\nbob", "ünï", "alice*"})
    void unusualSubjectsWorkAndDoNotCollide(String subject) {
      Instant issued = clock.instant();
      clock.advance(Duration.ofSeconds(1));
      service().revokeAllForUser(subject, null);
      assertRevoked(
          service().check(tokenIssuedAt("jti-1", subject, issued)), RevocationReason.ALL_REVOKED);
      for (String other : List.of("a", "b", "alice", "bob", "a:b:", "{alice", subject + " ")) {
        if (!other.equals(subject)) {
          assertThat(service().check(tokenIssuedAt("jti-1", other, issued)).isActive())
              .as(other)
              .isTrue();
        }
      }
      TokenClaims own =
          tokenIssuedAt("jti-own", subject, clock.instant().plus(SKEW)); // after the watermark
      service().revoke(own);
      assertRevoked(service().check(own), RevocationReason.REVOKED);
    }
  }

  @Nested
  @DisplayName("revoking all tokens")
  class GlobalWatermark {
    @Test
    void tokensIssuedBeforeTheGlobalWatermarkAreRefused() {
      Instant issued = clock.instant();
      Instant notBefore = clock.advance(Duration.ofMinutes(1));
      service().revokeAllIssuedBefore(notBefore);
      assertRevoked(
          service().check(tokenIssuedAt("j1", "alice", issued)), RevocationReason.GLOBALLY_REVOKED);
      assertRevoked(
          service().check(tokenIssuedAt("j2", null, issued)), RevocationReason.GLOBALLY_REVOKED);
      assertThat(service().check(tokenIssuedAt("j3", "alice", notBefore)).isActive()).isTrue();
    }

    @Test
    void userAndGlobalWatermarksCombineWithMax() {
      Instant t0 = clock.instant();
      clock.advance(Duration.ofMinutes(1));
      Instant userMark = service().revokeAllForUser("alice", null);
      Instant globalMark = userMark.plus(Duration.ofMinutes(1));
      service().revokeAllIssuedBefore(globalMark);
      // issued between the user's and the global watermark: only the global one refuses it
      assertRevoked(
          service().check(tokenIssuedAt("j1", "alice", userMark.plusSeconds(1))),
          RevocationReason.GLOBALLY_REVOKED);
      assertThat(service().check(tokenIssuedAt("j2", "alice", t0)).isActive()).isFalse();
      assertThat(service().check(tokenIssuedAt("j3", "alice", globalMark)).isActive()).isTrue();
    }

    @Test
    void aLaterUserWatermarkWinsOverAnEarlierGlobalOne() {
      Instant globalMark = clock.advance(Duration.ofMinutes(1));
      service().revokeAllIssuedBefore(globalMark);
      clock.advance(Duration.ofMinutes(1));
      Instant userMark = service().revokeAllForUser("alice", null);
      assertRevoked(
          service().check(tokenIssuedAt("j1", "alice", globalMark.plusSeconds(1))),
          RevocationReason.ALL_REVOKED);
      assertThat(service().check(tokenIssuedAt("j2", "bob", globalMark.plusSeconds(1))).isActive())
          .isTrue();
      assertThat(service().check(tokenIssuedAt("j3", "alice", userMark)).isActive()).isTrue();
    }

    @Test
    void theGlobalWatermarkNeverMovesBackwards() {
      Instant later = clock.instant().plus(Duration.ofMinutes(10));
      clock.set(later);
      service().revokeAllIssuedBefore(later);
      service().revokeAllIssuedBefore(later.minus(Duration.ofMinutes(5)));
      assertRevoked(
          service().check(tokenIssuedAt("j1", "alice", later.minus(Duration.ofMinutes(1)))),
          RevocationReason.GLOBALLY_REVOKED);
    }

    @Test
    void theGlobalWatermarkDoesNotEndSessions() {
      Session a = sessions().login(null, "alice").sessionOrThrow();
      service().revokeAllIssuedBefore(clock.advance(Duration.ofSeconds(1)));
      assertThat(sessions().access(a.id()).isActive()).isTrue();
    }

    @Test
    void theGlobalWatermarkIsReported() {
      Instant mark = clock.advance(Duration.ofSeconds(1));
      service().revokeAllIssuedBefore(mark);
      assertThat(events.events(RecordingRevocationListener.Kind.ALL_REVOKED))
          .singleElement()
          .satisfies(e -> assertThat(e.notBefore()).isEqualTo(mark));
    }
  }

  @Nested
  @DisplayName("refresh tokens")
  class RefreshTokens {
    @Test
    void issueMakesAWellFormedTokenInTheSubjectsSlot() {
      RefreshToken t = refresh(service()).issue("alice");
      assertThat(service().config().idGenerator().isWellFormed(t.token())).isTrue();
      assertThat(SessionIdGenerator.tagOf(t.token())).isEqualTo(Digests.tagForUser("alice"));
      assertThat(t.subject()).isEqualTo("alice");
      assertThat(t.issuedAt()).isEqualTo(clock.instant());
      assertThat(t.expiresAt()).isEqualTo(clock.instant().plus(REFRESH_TTL));
      assertThat(t.familyHandle()).isNotBlank().doesNotContain(t.token());
    }

    @Test
    void rotateSpendsTheTokenAndIssuesItsSuccessor() {
      RefreshTokenService r = refresh(service());
      RefreshToken first = r.issue("alice");
      clock.advance(Duration.ofMinutes(5));
      RefreshResult result = r.rotate(first.token());
      assertThat(result).isInstanceOf(RefreshResult.Rotated.class);
      RefreshResult.Rotated rotated = (RefreshResult.Rotated) result;
      assertThat(rotated.retry()).isFalse();
      RefreshToken next = rotated.successor();
      assertThat(next.token()).isNotEqualTo(first.token());
      assertThat(next.familyHandle()).isEqualTo(first.familyHandle());
      assertThat(next.subject()).isEqualTo("alice");
      assertThat(next.issuedAt()).isEqualTo(clock.instant());
      assertThat(r.rotate(next.token()).isRotated()).isTrue();
    }

    @Test
    void aRetryWithinTheGraceWindowGetsTheSameSuccessor() {
      RefreshTokenService r = refresh(service());
      RefreshToken first = r.issue("alice");
      RefreshToken next = ((RefreshResult.Rotated) r.rotate(first.token())).successor();
      clock.advance(GRACE.minus(EPSILON));
      RefreshResult retry = r.rotate(first.token());
      assertThat(retry).isInstanceOf(RefreshResult.Rotated.class);
      assertThat(((RefreshResult.Rotated) retry).retry()).isTrue();
      assertThat(((RefreshResult.Rotated) retry).successor().token()).isEqualTo(next.token());
      // kept for real clients, but reported: a replay is also what a stolen token looks like
      assertThat(events.events(RecordingRevocationListener.Kind.REFRESH_TOKEN_REPLAYED))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo(first.familyHandle());
                assertThat(e.subject()).isEqualTo("alice");
              });
      assertThat(events.events(RecordingRevocationListener.Kind.REFRESH_TOKEN_REUSED)).isEmpty();
      assertThat(r.rotate(next.token()).isRotated()).isTrue();
    }

    @Test
    void aFirstRotationIsNotReportedAsAReplay() {
      RefreshTokenService r = refresh(service());
      RefreshToken first = r.issue("alice");
      assertThat(r.rotate(first.token()).isRotated()).isTrue();
      assertThat(events.events(RecordingRevocationListener.Kind.REFRESH_TOKEN_REPLAYED)).isEmpty();
    }

    @Test
    void aRefreshTokenIssuedRightAfterRevokeAllIsNotRefusedByTheWidenedWatermark() {
      RefreshTokenService r = refresh(service());
      clock.advance(Duration.ofSeconds(1));
      Instant watermark = service().revokeAllForUser("alice", null);
      RefreshToken fresh = r.issue("alice");
      assertThat(fresh.issuedAt()).isEqualTo(watermark);
      RefreshResult next = r.rotate(fresh.token());
      assertThat(next.isRotated()).isTrue();
      assertThat(((RefreshResult.Rotated) next).successor().issuedAt()).isEqualTo(watermark);
    }

    @Test
    void reuseAfterTheGraceWindowRevokesTheWholeFamily() {
      RefreshTokenService r = refresh(service());
      RefreshToken first = r.issue("alice");
      RefreshToken next = ((RefreshResult.Rotated) r.rotate(first.token())).successor();
      clock.advance(GRACE.plus(EPSILON));
      assertThat(r.rotate(first.token()))
          .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REUSED));
      RefreshResult successor = r.rotate(next.token());
      assertThat(successor).isInstanceOf(RefreshResult.Refused.class);
      assertThat(((RefreshResult.Refused) successor).reason())
          .isIn(RefreshResult.Reason.REVOKED, RefreshResult.Reason.REUSED);
      assertThat(events.events(RecordingRevocationListener.Kind.REFRESH_TOKEN_REUSED))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.key()).isEqualTo(first.familyHandle());
                assertThat(e.subject()).isEqualTo("alice");
              });
    }

    @Test
    void withoutAGraceWindowAnyReuseRevokesTheFamily() {
      RefreshTokenService r = refresh(service(b -> b.refreshGraceWindow(Duration.ZERO)));
      RefreshToken first = r.issue("alice");
      RefreshToken next = ((RefreshResult.Rotated) r.rotate(first.token())).successor();
      assertThat(r.rotate(first.token()))
          .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REUSED));
      assertThat(r.rotate(next.token()).isRotated()).isFalse();
    }

    @Test
    void concurrentRotationsOfOneTokenYieldOneSuccessor() throws Exception {
      RefreshTokenService r = refresh(service());
      RefreshToken first = r.issue("alice");
      List<Callable<RefreshResult>> tasks = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        tasks.add(() -> r.rotate(first.token()));
      }
      List<RefreshResult> results = Races.race(tasks);
      assertThat(results).allMatch(RefreshResult::isRotated);
      assertThat(
              results.stream().map(x -> ((RefreshResult.Rotated) x).successor().token()).distinct())
          .hasSize(1);
      assertThat(results.stream().filter(x -> !((RefreshResult.Rotated) x).retry())).hasSize(1);
    }

    @Test
    void slidingExpiryNeverPassesTheFamilyCap() {
      RefreshTokenService r = refresh(service());
      Instant start = clock.instant();
      RefreshToken t = r.issue("alice");
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofHours(20));
        t = ((RefreshResult.Rotated) r.rotate(t.token())).successor();
        Instant sliding = clock.instant().plus(REFRESH_TTL);
        Instant cap = start.plus(FAMILY_MAX);
        assertThat(t.expiresAt()).isEqualTo(sliding.isBefore(cap) ? sliding : cap);
      }
      clock.set(start.plus(FAMILY_MAX).plus(EPSILON));
      RefreshResult late = r.rotate(t.token());
      assertThat(late).isInstanceOf(RefreshResult.Refused.class);
      assertThat(((RefreshResult.Refused) late).reason())
          .isIn(RefreshResult.Reason.EXPIRED, RefreshResult.Reason.UNKNOWN);
    }

    @Test
    void anUnusedTokenExpiresAfterItsTtl() {
      RefreshTokenService r = refresh(service());
      RefreshToken t = r.issue("alice");
      clock.advance(REFRESH_TTL.minus(EPSILON));
      RefreshToken next = ((RefreshResult.Rotated) r.rotate(t.token())).successor();
      clock.advance(REFRESH_TTL.plus(EPSILON));
      RefreshResult late = r.rotate(next.token());
      assertThat(late).isInstanceOf(RefreshResult.Refused.class);
      assertThat(((RefreshResult.Refused) late).reason())
          .isIn(RefreshResult.Reason.EXPIRED, RefreshResult.Reason.UNKNOWN);
    }

    @Test
    void revokeAllForUserRefusesOlderRefreshTokens() {
      RefreshTokenService r = refresh(service());
      RefreshToken old = r.issue("alice");
      RefreshToken bobs = r.issue("bob");
      clock.advance(Duration.ofSeconds(1));
      service().revokeAllForUser("alice", null);
      assertThat(r.rotate(old.token()))
          .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REVOKED));
      assertThat(r.rotate(bobs.token()).isRotated()).isTrue();
      clock.advanceMillis(1);
      RefreshToken fresh = r.issue("alice");
      assertThat(r.rotate(fresh.token()).isRotated()).isTrue();
    }

    @Test
    void revokeFamilyRefusesEveryTokenOfTheFamily() {
      RefreshTokenService r = refresh(service());
      RefreshToken first = r.issue("alice");
      RefreshToken other = r.issue("alice");
      RefreshToken next = ((RefreshResult.Rotated) r.rotate(first.token())).successor();
      r.revokeFamily(next.token());
      assertThat(r.rotate(next.token()))
          .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.REVOKED));
      assertThat(r.rotate(first.token()).isRotated()).isFalse();
      assertThat(r.rotate(other.token()).isRotated()).isTrue();
    }

    @Test
    void anUnknownWellFormedTokenIsUnknown() {
      RefreshTokenService r = refresh(service());
      String unknown = service().config().idGenerator().newIdForUser("alice");
      assertThat(r.rotate(unknown))
          .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.UNKNOWN));
      assertThatCode(() -> r.revokeFamily(unknown)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("io.sessionkit.testkit.TokenRevocationContract#garbageRefreshTokens")
    void garbageIsMalformedWithoutBackendOperations(String garbage) {
      TokenRevocationService service = service();
      RefreshTokenService r = refresh(service);
      long before = backendOperations(service);
      assertThat(r.rotate(garbage))
          .isEqualTo(new RefreshResult.Refused(RefreshResult.Reason.MALFORMED));
      assertThatCode(() -> r.revokeFamily(garbage)).doesNotThrowAnyException();
      assertThat(backendOperations(service)).isEqualTo(before);
    }

    @Test
    void tokensOfDifferentSubjectsAreIndependent() {
      RefreshTokenService r = refresh(service());
      AtomicInteger rotated = new AtomicInteger();
      for (String subject : List.of("a:b", "*", "{x}", "a\r\nb")) {
        RefreshToken t = r.issue(subject);
        RefreshResult res = r.rotate(t.token());
        if (res.isRotated()
            && ((RefreshResult.Rotated) res).successor().subject().equals(subject)) {
          rotated.incrementAndGet();
        }
      }
      assertThat(rotated).hasValue(4);
    }
  }

  @Nested
  @DisplayName("across servers")
  class AcrossServers {
    @Test
    void aRevocationOnOneServerIsSeenByTheOtherAtOnce() {
      TokenRevocationService a = service();
      TokenRevocationService b = peerOf(a);
      TokenClaims t = token("jti-1", "alice");
      assertThat(b.check(t).isActive()).isTrue();
      a.revoke(t);
      assertRevoked(b.check(t), RevocationReason.REVOKED);
    }

    @Test
    void aWatermarkSetOnOneServerIsSeenByTheOther() {
      TokenRevocationService a = service();
      TokenRevocationService b = peerOf(a);
      TokenClaims t = token("jti-1", "alice");
      clock.advance(Duration.ofSeconds(1));
      a.revokeAllForUser("alice", null);
      assertRevoked(b.check(t), RevocationReason.ALL_REVOKED);
      Instant global = clock.advance(Duration.ofSeconds(1));
      b.revokeAllIssuedBefore(global);
      assertRevoked(
          a.check(tokenIssuedAt("jti-2", "bob", global.minusMillis(1))),
          RevocationReason.GLOBALLY_REVOKED);
    }

    @Test
    void aRetryOnAnotherServerGetsTheSameSuccessor() {
      TokenRevocationService a = service();
      TokenRevocationService b = peerOf(a);
      RefreshToken first = refresh(a).issue("alice");
      RefreshToken next = ((RefreshResult.Rotated) refresh(a).rotate(first.token())).successor();
      RefreshResult retry = refresh(b).rotate(first.token());
      assertThat(retry).isInstanceOf(RefreshResult.Rotated.class);
      assertThat(((RefreshResult.Rotated) retry).retry()).isTrue();
      assertThat(((RefreshResult.Rotated) retry).successor().token()).isEqualTo(next.token());
      assertThat(((RefreshResult.Rotated) retry).successor().familyHandle())
          .isEqualTo(next.familyHandle());
    }
  }

  static Stream<String> garbageRefreshTokens() {
    String good = SessionIdGenerator.defaults().newAnonymousId();
    return Stream.of(
        "",
        "garbage",
        "*",
        "{x}",
        "a:b",
        "A".repeat(10 * 1024),
        good.substring(1),
        good + "A",
        good.substring(0, 20) + "+/" + good.substring(22),
        good.substring(0, 20) + "\r\n" + good.substring(22));
  }
}
