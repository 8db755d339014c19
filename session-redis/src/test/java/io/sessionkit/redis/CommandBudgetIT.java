package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.CarryOver;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command budget, counted exactly with a Lettuce command listener on a real redis-server: every
 * operation costs the number of Redis commands the README promises, whatever the data, and
 * malformed input costs none. Counts are deterministic, so they are asserted exactly.
 */
class CommandBudgetIT {
  @RegisterExtension static final RedisFixture fixture = RedisFixture.standalone();

  private final MutableClock clock = MutableClock.startingNow();
  private RedisSessionStore store;
  private RedisTokenRevocationService tokens;

  @BeforeEach
  void setUp() {
    fixture.flushAllAsNewStore();
    // Some tests flush the script cache; every other test measures with the scripts loaded.
    fixture.connector().io().preloadScripts();
    store =
        RedisSessionStore.create(
            fixture.connector(), SessionConfig.builder().clock(clock).auditLogging(false).build());
    tokens =
        RedisTokenRevocationService.create(
            fixture.connector(),
            RevocationConfig.builder().clock(clock).auditLogging(false).build(),
            store);
  }

  @AfterEach
  void tearDown() {
    tokens.close();
    store.close();
  }

  /** Runs {@code op} and returns how many commands it sent. */
  private static long cost(Runnable op) {
    long before = fixture.commands().count();
    op.run();
    return fixture.commands().count() - before;
  }

  private static <T> T costs(long expected, Supplier<T> op) {
    long before = fixture.commands().count();
    T result = op.get();
    assertThat(fixture.commands().count() - before).as("Redis commands").isEqualTo(expected);
    return result;
  }

  private RedisSessionStore storeWith(LoginPolicy policy) {
    return RedisSessionStore.create(
        fixture.connector(),
        SessionConfig.builder().clock(clock).auditLogging(false).loginPolicy(policy).build());
  }

  @Test
  void createCostsOne() {
    assertThat(cost(() -> store.create())).isEqualTo(1);
    assertThat(
            cost(
                () ->
                    store.create(
                        SessionChanges.builder().set("theme", "dark").set("n", 3).build())))
        .isEqualTo(1);
  }

  @Test
  void accessCostsOnePlainReadAndTwoOnlyWhenATouchIsDue() {
    Session s = store.create(SessionChanges.builder().set("theme", "dark").build());
    int mark = fixture.commands().recorded().size();
    assertThat(cost(() -> store.access(s.id())))
        .as("access within the touch interval")
        .isEqualTo(1);
    assertThat(fixture.commands().namesFrom(mark))
        .as("a plain read, no script")
        .containsExactly("HGETALL");
    clock.advance(Duration.ofMinutes(2));
    assertThat(cost(() -> assertThat(store.access(s.id()).isActive()).isTrue()))
        .as("access that touches")
        .isEqualTo(2);
    assertThat(cost(() -> assertThat(store.access(s.id()).isActive()).isTrue()))
        .as("the next one, touched")
        .isEqualTo(1);
    clock.advance(Duration.ofMinutes(2));
    assertThat(cost(() -> store.access(s.id(), AccessMode.PASSIVE)))
        .as("passive access never touches")
        .isEqualTo(1);
  }

  @Test
  void aFlushedScriptIsSentAgainOnceThenRunsByShaAgain() {
    Session s = store.create();
    fixture.server().call("SCRIPT", "FLUSH");
    clock.advance(Duration.ofMinutes(2));
    assertThat(cost(() -> assertThat(store.access(s.id()).isActive()).isTrue()))
        .as("HGETALL, then the touch: EVALSHA answered NOSCRIPT, then EVAL")
        .isEqualTo(3);
    clock.advance(Duration.ofMinutes(2));
    assertThat(cost(() -> store.access(s.id()))).as("loaded again by the EVAL").isEqualTo(2);
  }

  @Test
  void accessOfALoggedInSessionThatTouchesCostsTwo() {
    Session s = store.login(null, "alice").sessionOrThrow();
    clock.advance(Duration.ofMinutes(2));
    assertThat(cost(() -> store.access(s.id()))).isEqualTo(2);
    assertThat(cost(() -> store.access(s.id()))).isEqualTo(1);
  }

  @Test
  void accessOfAnEndedOrUnknownSessionCostsTwoPlainReads() {
    Session s = store.create();
    store.delete(s.id(), EndReason.LOGOUT);
    int mark = fixture.commands().recorded().size();
    assertThat(cost(() -> store.access(s.id()))).isEqualTo(2);
    assertThat(fixture.commands().namesFrom(mark))
        .as("the hash, then its tombstone")
        .containsExactly("HGETALL", "GET");
  }

  @Test
  void accessPlusAttributeChangesCostsTwo() {
    Session s = store.create();
    long n =
        cost(
            () -> {
              store.access(s.id());
              store.update(
                  s.id(),
                  SessionChanges.builder()
                      .set("cart", List.of("a", "b"))
                      .set("theme", "dark")
                      .remove("coupon")
                      .build());
            });
    assertThat(n).isEqualTo(2);
    assertThat(store.access(s.id()).session().orElseThrow().attribute("theme")).contains("dark");
  }

  @Test
  void accessOfASessionExpiredWithinTheClockSkewCostsOneAndDeletesNothing() {
    Session s = store.create();
    clock.advance(Duration.ofMinutes(30).plusSeconds(30));
    assertThat(cost(() -> assertThat(store.access(s.id()).isActive()).isFalse())).isEqualTo(1);
    assertThat(
            fixture
                .server()
                .call("EXISTS", "sk:{" + SessionIdGenerator.tagOf(s.id()) + "}:s:" + s.handle()))
        .hasToString("1");
  }

  @Test
  void accessOfASessionExpiredBeyondTheClockSkewCostsTwoAndDeletesIt() {
    Session s = store.create();
    clock.advance(Duration.ofHours(1));
    assertThat(cost(() -> assertThat(store.access(s.id()).isActive()).isFalse())).isEqualTo(2);
    assertThat(cost(() -> store.access(s.id())))
        .as("now absent: the hash, then its tombstone")
        .isEqualTo(2);
  }

  @Test
  void loginWithoutACurrentSessionCostsOne() {
    assertThat(cost(() -> store.login(null, "alice"))).isEqualTo(1);
  }

  /** An anonymous session whose random tag differs from alice's (1 in 4096 do not). */
  private static Session anonymousInAnotherSlot(RedisSessionStore s) {
    Session a = s.create(SessionChanges.builder().set("cart", "x").build());
    while (a.id().startsWith(Digests.tagForUser("alice"))) {
      a = s.create(SessionChanges.builder().set("cart", "x").build());
    }
    return a;
  }

  @Test
  void loginFromAnAnonymousSessionInAnotherSlotCostsThreeWhenItInheritsFromIt() {
    Session current = anonymousInAnotherSlot(store);
    // read it where it is, log in in the user's slot, retire it only then (never take it away
    // first)
    LoginResult r =
        costs(
            3,
            () ->
                store.login(
                    current.id(), "alice", LoginOptions.builder().carryOnly("cart").build()));
    assertThat(r.isAccepted()).isTrue();
    assertThat(r.sessionOrThrow().attribute("cart")).contains("x");
    assertThat(store.access(current.id()).isActive()).isFalse();
  }

  @Test
  void loginFromAnAnonymousSessionInAnotherSlotCostsTwoWhenItInheritsNothing() {
    Session current = anonymousInAnotherSlot(store);
    LoginResult r =
        costs(
            2,
            () ->
                store.login(
                    current.id(),
                    "alice",
                    LoginOptions.builder()
                        .metadata(SessionMetadata.ofDeviceType("phone"))
                        .build()));
    assertThat(r.sessionOrThrow().attributeNames()).isEmpty();
    assertThat(store.access(current.id()).isActive()).isFalse();
  }

  @Test
  void reLoginFromTheUsersOwnSlotCostsOne() {
    Session s = store.login(null, "alice").sessionOrThrow();
    assertThat(cost(() -> store.login(s.id(), "alice"))).isEqualTo(1);
  }

  @Test
  void loginAtTheLimitCostsTwo() {
    RedisSessionStore limited = storeWith(LoginPolicy.maxSessionsPerUser(2, OnLimit.EVICT_OLDEST));
    for (int i = 0; i < 2; i++) {
      limited.login(null, "alice");
    }
    // the first run names the sessions it must read (-3), the second declares them and evicts
    LoginResult r = costs(2, () -> limited.login(null, "alice"));
    assertThat(((LoginResult.Accepted) r).evicted()).hasSize(1);
  }

  @Test
  void rejectedLoginFromAnotherSlotCostsThreeAndNeverTouchesTheCurrentSession() {
    RedisSessionStore limited = storeWith(LoginPolicy.maxSessionsPerUser(1, OnLimit.REJECT_NEW));
    limited.login(null, "alice");
    Session current = anonymousInAnotherSlot(limited);
    String key =
        new Keys(RedisOptions.DEFAULT_KEY_PREFIX)
            .session(SessionIdGenerator.tagOf(current.id()), current.handle());
    Object before = fixture.server().call("HGETALL", key);
    // read it, then the login in the user's slot: -3 (read the sessions at the limit), then refused
    LoginResult r =
        costs(
            3,
            () ->
                limited.login(
                    current.id(),
                    "alice",
                    LoginOptions.builder().carryOver(CarryOver.ALL).build()));
    assertThat(r.isAccepted()).isFalse();
    assertThat(fixture.server().call("HGETALL", key)).isEqualTo(before);
    assertThat(limited.access(current.id()).isActive()).isTrue();
  }

  @Test
  void logoutCostsOne() {
    Session s = store.login(null, "alice").sessionOrThrow();
    assertThat(costs(1, () -> store.delete(s.id(), EndReason.LOGOUT))).isTrue();
  }

  @Test
  void renewIdListingAndEndingByHandleCosts() {
    Session anonymous = store.create();
    assertThat(costs(1, () -> store.renewId(anonymous.id()))).isPresent();
    Session s = store.login(null, "alice").sessionOrThrow();
    // a user's session: the first run names the user's index (-3), the second moves its entry too
    Session renewed = costs(2, () -> store.renewId(s.id())).orElseThrow();
    // the index, then one script over the sessions it names
    assertThat(costs(2, () -> store.listForUser("alice"))).hasSize(1);
    assertThat(costs(1, () -> store.listForUser("nobody"))).isEmpty();
    assertThat(costs(1, () -> store.deleteByHandle("alice", renewed.handle(), EndReason.REVOKED)))
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 200})
  void deleteAllForUserCostsOnePlusOnePerFiftySessions(int sessions) {
    RedisSessionStore unlimited = storeWith(LoginPolicy.unlimited());
    for (int i = 0; i < sessions; i++) {
      unlimited.login(null, "alice");
    }
    long steps =
        1 + (sessions + RedisSessionStore.END_ALL_BATCH - 1) / RedisSessionStore.END_ALL_BATCH;
    assertThat(costs(steps, () -> unlimited.deleteAllForUser("alice", null, EndReason.ALL_REVOKED)))
        .isEqualTo(sessions);
    assertThat(costs(1, () -> unlimited.deleteAllForUser("nobody", null, EndReason.ALL_REVOKED)))
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 50})
  void revokeAllForUserCostsOnePlusOnePerFiftySessions(int sessions) {
    for (int i = 0; i < sessions; i++) {
      store.login(null, "alice");
    }
    costs(sessions == 0 ? 1 : 2, () -> tokens.revokeAllForUser("alice", null));
    assertThat(store.listForUser("alice")).isEmpty();
  }

  @Test
  void tokenCheckAndRevokeCostOneEach() {
    Instant now = clock.instant();
    TokenClaims withSubject =
        new TokenClaims("jti-1", "alice", now, now.plus(Duration.ofMinutes(15)));
    TokenClaims withoutSubject =
        new TokenClaims("jti-2", null, now, now.plus(Duration.ofMinutes(15)));
    assertThat(costs(1, () -> tokens.check(withSubject)).isActive()).isTrue();
    assertThat(costs(1, () -> tokens.check(withoutSubject)).isActive()).isTrue();
    costs(
        1,
        () -> {
          tokens.revoke(withSubject);
          return null;
        });
    assertThat(costs(1, () -> tokens.check(withSubject)).reason())
        .contains(RevocationReason.REVOKED);
  }

  @Test
  void refreshTokensCostOneToIssueAndTwoToRotateOrRevoke() {
    RefreshToken first = costs(1, () -> tokens.issue("alice"));
    // the record is read first, so that the script declares the family and watermark it names
    assertThat(costs(2, () -> tokens.rotate(first.token())).isRotated()).isTrue();
    assertThat(costs(2, () -> tokens.rotate(first.token())).isRotated())
        .as("retry in the grace window")
        .isTrue();
    costs(
        2,
        () -> {
          tokens.revokeFamily(first.token());
          return null;
        });
    String unknown = tokens.config().idGenerator().newIdForUser("alice");
    assertThat(costs(1, () -> tokens.rotate(unknown)).isRotated())
        .as("an unknown token costs the read only")
        .isFalse();
  }

  @Test
  void revokingAllTokensCostsEightCommandsOnStandalone() {
    costs(
        8,
        () -> {
          tokens.revokeAllIssuedBefore(clock.instant());
          return null;
        });
  }

  static List<@Nullable String> malformedIds() {
    List<@Nullable String> ids =
        new ArrayList<>(
            List.of(
                "",
                "a:b",
                "*",
                "{x}",
                "\r\n",
                "\0",
                "../",
                "x".repeat(10_000),
                "é".repeat(45),
                "*".repeat(45),
                "{".repeat(45),
                ":".repeat(45),
                "AA" + "\r\n".repeat(21) + "A"));
    ids.add(null);
    return ids;
  }

  @Test
  void malformedIdsCostNothing() {
    for (String bad : malformedIds()) {
      assertThat(
              cost(
                  () -> {
                    assertThat(store.access(bad).isActive()).isFalse();
                    assertThat(store.access(bad, AccessMode.PASSIVE).isActive()).isFalse();
                    assertThat(store.update(bad, SessionChanges.builder().set("a", 1).build()))
                        .isFalse();
                    assertThat(store.renewId(bad)).isEmpty();
                    assertThat(store.delete(bad, EndReason.LOGOUT)).isFalse();
                    assertThat(tokens.rotate(bad == null ? "" : bad).isRotated()).isFalse();
                    tokens.revokeFamily(bad == null ? "" : bad);
                  }))
          .as("commands for malformed id %s", bad == null ? "null" : bad.length() + " chars")
          .isZero();
    }
    assertThat(cost(() -> store.deleteByHandle("alice", "not a handle", EndReason.REVOKED)))
        .isZero();
  }

  @Test
  void malformedOrExpiredTokensCostNothing() {
    Instant now = clock.instant();
    TokenClaims empty = new TokenClaims("", "alice", now, now.plusSeconds(60));
    TokenClaims huge =
        new TokenClaims(
            "x".repeat(TokenClaims.MAX_TOKEN_ID_LENGTH + 1), null, now, now.plusSeconds(60));
    TokenClaims expired =
        new TokenClaims("jti", "alice", now.minusSeconds(120), now.minusSeconds(60));
    assertThat(
            cost(
                () -> {
                  assertThat(tokens.check(empty).reason()).contains(RevocationReason.MALFORMED);
                  assertThat(tokens.check(huge).reason()).contains(RevocationReason.MALFORMED);
                  assertThat(tokens.check(expired).reason()).contains(RevocationReason.EXPIRED);
                  tokens.revoke(empty);
                  tokens.revoke(expired);
                }))
        .isZero();
  }

  @Test
  void noRawIdOrTokenEverReachesRedis() {
    fixture.commands().clear();
    Session anonymous = store.create();
    Session alice =
        store
            .login(
                anonymous.id(),
                "alice",
                LoginOptions.builder().metadata(SessionMetadata.ofDeviceType("browser")).build())
            .sessionOrThrow();
    store.update(alice.id(), SessionChanges.builder().set("theme", "dark").build());
    store.access(alice.id());
    Session renewed = store.renewId(alice.id()).orElseThrow();
    RefreshToken refresh = tokens.issue("alice");
    RefreshToken next = ((RefreshResult.Rotated) tokens.rotate(refresh.token())).successor();
    TokenClaims jwt =
        new TokenClaims(
            "secret-jti-value", "alice", clock.instant(), clock.instant().plusSeconds(600));
    tokens.revoke(jwt);
    tokens.check(jwt);
    store.delete(renewed.id(), EndReason.LOGOUT);
    List<String> sent = fixture.commands().recorded();
    assertThat(sent).isNotEmpty();
    for (String secret :
        List.of(
            anonymous.id(),
            alice.id(),
            renewed.id(),
            refresh.token(),
            next.token(),
            "secret-jti-value")) {
      assertThat(sent).noneMatch(c -> c.contains(secret));
    }
  }
}
