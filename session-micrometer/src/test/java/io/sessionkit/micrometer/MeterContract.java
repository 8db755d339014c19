package io.sessionkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.core.AccessMode;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RefreshTokenService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every counter and timer of {@link SessionKitMetrics} moves by exactly the operations performed,
 * on any store: a subclass names the store and the revocation service, the scenarios are stated
 * once. Each test starts from a fresh {@link SimpleMeterRegistry}.
 */
abstract class MeterContract {
  static final Duration IDLE = Duration.ofMinutes(30);

  final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-03-01T10:00:00Z"));
  SimpleMeterRegistry registry;
  SessionKitMetrics metrics;
  private final List<AutoCloseable> opened = new ArrayList<>();

  /** A new store on the backend under test, built with this configuration. */
  abstract SessionStore newStore(SessionConfig config);

  /** A new revocation service that ends sessions in {@code sessions} (the undecorated store). */
  abstract TokenRevocationService newTokens(RevocationConfig config, SessionStore sessions);

  @BeforeEach
  void freshRegistry() {
    registry = new SimpleMeterRegistry();
    metrics = SessionKitMetrics.create(registry);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  /** The raw store, with the metrics listener registered. */
  SessionStore raw(UnaryOperator<SessionConfig.Builder> custom) {
    SessionConfig config =
        custom
            .apply(
                metrics.register(
                    SessionConfig.builder()
                        .clock(clock)
                        .auditLogging(false)
                        .ttlPolicy(TtlPolicy.idle(IDLE))))
            .build();
    SessionStore s = newStore(config);
    opened.add(s);
    return s;
  }

  SessionStore store(UnaryOperator<SessionConfig.Builder> custom) {
    return metrics.observe(raw(custom));
  }

  SessionStore store() {
    return store(b -> b);
  }

  TokenRevocationService tokens(SessionStore rawSessions) {
    TokenRevocationService t =
        newTokens(
            metrics.register(RevocationConfig.builder().clock(clock).auditLogging(false)).build(),
            rawSessions);
    opened.add(t);
    return metrics.observe(t);
  }

  double count(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  long timed(String operation, String outcome) {
    var t =
        registry
            .find(SessionKitMetrics.STORE_OPERATIONS)
            .tags("operation", operation, "outcome", outcome)
            .timer();
    return t == null ? 0 : t.count();
  }

  double ended(EndReason reason) {
    return count(
        SessionKitMetrics.SESSIONS_ENDED, "reason", reason.name().toLowerCase(Locale.ROOT));
  }

  double endedTotal() {
    return registry.find(SessionKitMetrics.SESSIONS_ENDED).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void everyCounterIsThereAtZeroBeforeAnyOperation() {
    store();
    assertThat(registry.find(SessionKitMetrics.SESSIONS_CREATED).counter()).isNotNull();
    assertThat(registry.find(SessionKitMetrics.SESSIONS_ENDED).counters())
        .hasSize(EndReason.values().length);
    assertThat(registry.find(SessionKitMetrics.LOGINS).counters()).hasSize(2);
    assertThat(registry.find(SessionKitMetrics.REVOCATIONS).counters()).hasSize(4);
    assertThat(registry.find(SessionKitMetrics.TOKEN_CHECKS).counters()).hasSize(6);
    assertThat(
            registry.getMeters().stream()
                .filter(m -> m.getId().getType() == Meter.Type.COUNTER)
                .mapToDouble(
                    m ->
                        registry
                            .find(m.getId().getName())
                            .tags(m.getId().getTags())
                            .counter()
                            .count())
                .sum())
        .isZero();
  }

  @Test
  void createCountsOneSessionAndOneTimedOperationEach() {
    SessionStore store = store();
    for (int i = 0; i < 3; i++) {
      store.create(SessionChanges.builder().set("n", i).build());
    }
    assertThat(count(SessionKitMetrics.SESSIONS_CREATED)).isEqualTo(3);
    assertThat(timed("create", "success")).isEqualTo(3);
    assertThat(endedTotal()).isZero();
  }

  @Test
  void accessAndUpdateAreTimedByOutcomeAndCountNothingElse() {
    SessionStore store = store();
    Session s = store.create();
    store.access(s.id());
    store.access(s.id(), AccessMode.PASSIVE);
    store.update(s.id(), SessionChanges.builder().set("a", 1).build());
    store.access(store.config().idGenerator().newAnonymousId());
    assertThat(timed("access", "success")).isEqualTo(2);
    assertThat(timed("access", "absent")).isEqualTo(1);
    assertThat(timed("update", "success")).isEqualTo(1);
    assertThat(count(SessionKitMetrics.SESSIONS_CREATED)).isEqualTo(1);
    assertThat(endedTotal()).isZero();
  }

  @Test
  void aLoginWithoutASessionCreatesOneAndALoginCarryingOneCreatesNone() {
    SessionStore store = store();
    store.login(null, "alice");
    Session anonymous = store.create();
    store.login(anonymous.id(), "bob");
    assertThat(count(SessionKitMetrics.SESSIONS_CREATED)).isEqualTo(2);
    assertThat(count(SessionKitMetrics.LOGINS, "result", "accepted")).isEqualTo(2);
    assertThat(count(SessionKitMetrics.LOGINS, "result", "rejected")).isZero();
    assertThat(timed("login", "success")).isEqualTo(2);
    assertThat(endedTotal()).isZero();
  }

  @Test
  void aRefusedLoginCountsRejectedAndNothingElse() {
    SessionStore store =
        store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.REJECT_NEW)));
    store.login(null, "alice");
    assertThat(store.login(null, "alice").isAccepted()).isFalse();
    assertThat(store.login(store.create().id(), "alice").isAccepted()).isFalse();
    assertThat(count(SessionKitMetrics.LOGINS, "result", "accepted")).isEqualTo(1);
    assertThat(count(SessionKitMetrics.LOGINS, "result", "rejected")).isEqualTo(2);
    assertThat(timed("login", "rejected")).isEqualTo(2);
    assertThat(count(SessionKitMetrics.SESSIONS_CREATED)).isEqualTo(2);
    assertThat(count(SessionKitMetrics.LOGINS_EVICTED)).isZero();
    assertThat(endedTotal()).isZero();
  }

  @Test
  void aKickOutCountsTheEvictionAndTheReplacedSession() {
    SessionStore store =
        store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(2, OnLimit.EVICT_OLDEST)));
    for (int i = 0; i < 5; i++) {
      store.login(null, "alice");
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(count(SessionKitMetrics.LOGINS, "result", "accepted")).isEqualTo(5);
    assertThat(count(SessionKitMetrics.LOGINS_EVICTED)).isEqualTo(3);
    assertThat(ended(EndReason.REPLACED)).isEqualTo(3);
    assertThat(endedTotal()).isEqualTo(3);
    assertThat(count(SessionKitMetrics.SESSIONS_CREATED)).isEqualTo(5);
  }

  @Test
  void logoutAndRevokeByHandleCountOnlyTheSessionsTheyEnded() {
    SessionStore store = store();
    Session a = store.login(null, "alice").sessionOrThrow();
    Session b = store.login(null, "alice").sessionOrThrow();
    assertThat(store.delete(a.id(), EndReason.LOGOUT)).isTrue();
    assertThat(store.delete(a.id(), EndReason.LOGOUT)).isFalse();
    assertThat(store.deleteByHandle("alice", b.handle(), EndReason.REVOKED)).isTrue();
    assertThat(ended(EndReason.LOGOUT)).isEqualTo(1);
    assertThat(ended(EndReason.REVOKED)).isEqualTo(1);
    assertThat(endedTotal()).isEqualTo(2);
    assertThat(timed("delete", "success")).isEqualTo(1);
    assertThat(timed("delete", "absent")).isEqualTo(1);
    assertThat(timed("deleteByHandle", "success")).isEqualTo(1);
  }

  @Test
  void anExpiredSessionFoundOnAccessCountsItsTimeoutOnce() {
    SessionStore store = store();
    Session s = store.create();
    // Past the idle timeout by more than the clock skew: within the skew a store refuses the
    // session but leaves its end to a server whose clock is not behind (SessionConfig.clockSkew).
    clock.advance(IDLE.plus(SessionConfig.defaults().clockSkew()).plusSeconds(1));
    store.access(s.id());
    store.access(s.id());
    assertThat(ended(EndReason.IDLE_TIMEOUT)).isEqualTo(1);
    assertThat(endedTotal()).isEqualTo(1);
  }

  @Test
  void signOutEverywhereCountsEverySessionAndOneUserRevocation() {
    SessionStore raw = raw(b -> b);
    SessionStore store = metrics.observe(raw);
    TokenRevocationService tokens = tokens(raw);
    Session keep = store.login(null, "alice").sessionOrThrow();
    store.login(null, "alice");
    store.login(null, "alice");
    store.login(null, "bob");
    tokens.revokeAllForUser("alice", keep.id());
    assertThat(ended(EndReason.ALL_REVOKED)).isEqualTo(2);
    assertThat(endedTotal()).isEqualTo(2);
    assertThat(count(SessionKitMetrics.REVOCATIONS, "kind", "user")).isEqualTo(1);
    assertThat(timed("revokeAllForUser", "success")).isEqualTo(1);
    assertThat(store.deleteAllForUser("alice", null, EndReason.ALL_REVOKED)).isEqualTo(1);
    assertThat(ended(EndReason.ALL_REVOKED)).isEqualTo(3);
  }

  @Test
  void revocationsAreCountedByKindAndGarbageIsNot() {
    TokenRevocationService tokens = tokens(raw(b -> b));
    Instant now = clock.instant();
    tokens.revoke(new TokenClaims("t-1", "alice", now, now.plusSeconds(600)));
    tokens.revoke(new TokenClaims("t-2", null, now, now.plusSeconds(600)));
    tokens.revoke(new TokenClaims("t-3", "alice", now.minusSeconds(600), now.minusSeconds(1)));
    tokens.revoke(new TokenClaims("", "alice", now, now.plusSeconds(600)));
    tokens.revokeAllIssuedBefore(now);
    // t-3 expired a second ago, within the clock skew: another server may still accept it, so it is
    // marked too; the empty id is garbage and is not.
    assertThat(count(SessionKitMetrics.REVOCATIONS, "kind", "token")).isEqualTo(3);
    assertThat(count(SessionKitMetrics.REVOCATIONS, "kind", "global")).isEqualTo(1);
    assertThat(count(SessionKitMetrics.REVOCATIONS, "kind", "user")).isZero();
    assertThat(timed("revoke", "success")).isEqualTo(4);
  }

  @Test
  void aReusedRefreshTokenCountsOneRefreshReuse() {
    TokenRevocationService tokens = tokens(raw(b -> b));
    assertThat(tokens).isInstanceOf(RefreshTokenService.class);
    RefreshTokenService refresh = (RefreshTokenService) tokens;
    RefreshToken first = refresh.issue("alice");
    assertThat(refresh.rotate(first.token())).isInstanceOf(RefreshResult.Rotated.class);
    clock.advance(tokens.config().refreshGraceWindow().plusSeconds(1));
    assertThat(refresh.rotate(first.token())).isInstanceOf(RefreshResult.Refused.class);
    assertThat(count(SessionKitMetrics.REVOCATIONS, "kind", "refresh-reuse")).isEqualTo(1);
    assertThat(timed("refreshRotate", "success")).isEqualTo(1);
    assertThat(timed("refreshRotate", "reused")).isEqualTo(1);
  }

  @Test
  void tokenChecksAreCountedByAnswer() {
    SessionStore raw = raw(b -> b);
    TokenRevocationService tokens = tokens(raw);
    Instant now = clock.instant();
    TokenClaims active = new TokenClaims("t-active", "alice", now, now.plusSeconds(600));
    TokenClaims revoked = new TokenClaims("t-revoked", "alice", now, now.plusSeconds(600));
    tokens.revoke(revoked);
    tokens.check(active);
    tokens.check(active);
    tokens.check(revoked);
    tokens.check(new TokenClaims("t-old", "alice", now.minusSeconds(600), now.minusSeconds(1)));
    tokens.check(new TokenClaims("", "alice", now, now.plusSeconds(600)));
    clock.advance(Duration.ofSeconds(1));
    tokens.revokeAllForUser("bob", null);
    tokens.check(new TokenClaims("t-bob", "bob", now, now.plusSeconds(600)));
    assertThat(count(SessionKitMetrics.TOKEN_CHECKS, "result", "active")).isEqualTo(2);
    assertThat(count(SessionKitMetrics.TOKEN_CHECKS, "result", "revoked")).isEqualTo(1);
    assertThat(count(SessionKitMetrics.TOKEN_CHECKS, "result", "expired")).isEqualTo(1);
    assertThat(count(SessionKitMetrics.TOKEN_CHECKS, "result", "malformed")).isEqualTo(1);
    assertThat(count(SessionKitMetrics.TOKEN_CHECKS, "result", "all_revoked")).isEqualTo(1);
    assertThat(timed("check", "success")).isEqualTo(2);
    assertThat(timed("check", "refused")).isEqualTo(4);
  }

  @Test
  void malformedIdsAreCountedBySourceBeforeAnyIo() {
    SessionStore store = store();
    store.access("not-an-id");
    store.access(null);
    store.update("*{x}:\r\n", SessionChanges.builder().set("a", 1).build());
    store.delete("", EndReason.LOGOUT);
    assertThat(count(SessionKitMetrics.IDS_INVALID, "source", "access")).isEqualTo(2);
    assertThat(count(SessionKitMetrics.IDS_INVALID, "source", "update")).isEqualTo(1);
    assertThat(count(SessionKitMetrics.IDS_INVALID, "source", "delete")).isEqualTo(1);
  }

  @Test
  void noTagEverHoldsAnIdAHandleOrAUser() {
    SessionStore raw =
        raw(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.EVICT_OLDEST)));
    SessionStore store = metrics.observe(raw);
    TokenRevocationService tokens = tokens(raw);
    String user = "user-7f3a9c2e@example.org";
    List<String> secrets = new ArrayList<>(List.of(user, "tok-5b1d7e"));
    Session anon = store.create();
    Session s = store.login(anon.id(), user).sessionOrThrow();
    Session t = store.login(null, user).sessionOrThrow();
    secrets.addAll(List.of(anon.id(), anon.handle(), s.id(), s.handle(), t.id(), t.handle()));
    store.access(t.id());
    store.access("zz" + t.id());
    store.delete(t.id(), EndReason.LOGOUT);
    Instant now = clock.instant();
    tokens.revoke(new TokenClaims("tok-5b1d7e", user, now, now.plusSeconds(60)));
    tokens.check(new TokenClaims("tok-5b1d7e", user, now, now.plusSeconds(60)));
    tokens.revokeAllForUser(user, null);
    assertThat(registry.getMeters()).isNotEmpty();
    for (Meter m : registry.getMeters()) {
      for (Tag tag : m.getId().getTags()) {
        for (String secret : secrets) {
          assertThat(tag.getValue()).as(m.getId().toString()).doesNotContain(secret);
          assertThat(tag.getKey()).as(m.getId().toString()).doesNotContain(secret);
        }
      }
      assertThat(m.getId().getName()).doesNotContain(user);
    }
  }
}
