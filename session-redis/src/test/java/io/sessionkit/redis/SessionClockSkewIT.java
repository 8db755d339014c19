package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two servers on one Redis whose clocks differ by 5 minutes, with a configured clock skew of 6
 * minutes (issue 11, item 5): the server whose clock runs ahead may refuse a session its clock says
 * has expired, but it never removes a session that is live for the other server, neither from the
 * user's index (so the other server's "sign out everywhere" still ends it and the login limit still
 * counts it) nor from Redis.
 */
class SessionClockSkewIT {
  @RegisterExtension static final RedisFixture redis = RedisFixture.standalone();

  private static final Duration IDLE = Duration.ofMinutes(30);
  private static final Duration AHEAD = Duration.ofMinutes(5);
  private static final Duration SKEW = Duration.ofMinutes(6);
  private static final Keys KEYS = new Keys(RedisOptions.DEFAULT_KEY_PREFIX);

  private final Instant start = Instant.parse("2030-01-01T00:00:00Z");
  private final MutableClock slowClock = MutableClock.startingAt(start);
  private final MutableClock fastClock = MutableClock.startingAt(start.plus(AHEAD));
  private SessionStore slow;
  private SessionStore fast;

  @BeforeEach
  void stores() {
    redis.flushAll();
    slow = store(slowClock);
    fast = store(fastClock);
  }

  private static SessionStore store(MutableClock clock) {
    return redis.newStore(
        SessionConfig.builder()
            .ttlPolicy(
                TtlPolicy.builder().idleTimeout(IDLE).absoluteTimeout(Duration.ofHours(8)).build())
            .loginPolicy(LoginPolicy.maxSessionsPerUser(2, OnLimit.REJECT_NEW))
            .clock(clock)
            .clockSkew(SKEW)
            .auditLogging(false)
            .build());
  }

  private void advanceBoth(Duration d) {
    slowClock.advance(d);
    fastClock.advance(d);
  }

  private static long indexSize(String user) {
    return (Long) redis.server().call("ZCARD", KEYS.userIndex(user));
  }

  @Test
  void aServerAheadNeitherPrunesNorDeletesSessionsLiveForTheOthers() {
    Session one = slow.login(null, "alice").sessionOrThrow();
    Session two = slow.login(null, "alice").sessionOrThrow();
    // 26 minutes on: live for the slow server (4 minutes left), expired by 1 minute for the fast
    // one
    advanceBoth(Duration.ofMinutes(26));

    // the fast server refuses what its clock says has expired...
    assertThat(fast.access(one.id(), AccessMode.PASSIVE).isActive()).isFalse();
    assertThat(fast.update(two.id(), SessionChanges.builder().set("x", 1).build())).isFalse();
    assertThat(fast.renewId(two.id())).isEmpty();
    assertThat(fast.listForUser("alice")).isEmpty();
    // ...but counts them against the limit (a refusal is widened by the skew, never narrowed)
    assertThat(fast.login(null, "alice").isAccepted()).as("the fast server's login").isFalse();

    // nothing it did removed them: live for the slow server, still indexed
    assertThat(slow.access(one.id(), AccessMode.PASSIVE).isActive()).isTrue();
    assertThat(slow.access(two.id(), AccessMode.PASSIVE).isActive()).isTrue();
    assertThat(slow.listForUser("alice"))
        .extracting(SessionInfo::handle)
        .containsExactlyInAnyOrder(one.handle(), two.handle());
    assertThat(indexSize("alice")).isEqualTo(2);
    assertThat(slow.login(null, "alice").isAccepted())
        .as("the slow server's login at the limit")
        .isFalse();

    // so "sign out everywhere" on the slow server still ends both
    assertThat(slow.deleteAllForUser("alice", null, EndReason.ALL_REVOKED)).isEqualTo(2);
    assertThat(slow.access(one.id()).endReason()).contains(EndReason.ALL_REVOKED);
    assertThat(slow.access(two.id()).endReason()).contains(EndReason.ALL_REVOKED);
  }

  @Test
  void aServerAheadDeletesOnlyWhatHasExpiredByMoreThanTheSkew() {
    Session one = slow.login(null, "bob").sessionOrThrow();
    slow.login(null, "bob").sessionOrThrow();
    // 37 minutes on: expired for the slow server by 7 minutes, for the fast one by 12 (beyond the
    // skew)
    advanceBoth(Duration.ofMinutes(37));
    assertThat(fast.login(null, "bob").isAccepted()).isTrue();
    assertThat(indexSize("bob")).isEqualTo(1);
    assertThat(
            redis
                .server()
                .call("EXISTS", KEYS.session(SessionIdGenerator.tagOf(one.id()), one.handle())))
        .isEqualTo(0L);
  }

  @Test
  void aServerBehindServesSessionsCreatedAheadOfItsClock() {
    Session s = fast.login(null, "carol").sessionOrThrow();
    assertThat(slow.access(s.id()).isActive()).isTrue();
    assertThat(slow.listForUser("carol"))
        .extracting(SessionInfo::handle)
        .containsExactly(s.handle());
    assertThat(slow.deleteAllForUser("carol", null, EndReason.ALL_REVOKED)).isEqualTo(1);
  }

  @Test
  void aServerAheadRefusesATouchOfASessionItThinksExpiredWithoutEndingIt() {
    Session s = slow.create();
    advanceBoth(Duration.ofMinutes(27));
    assertThat(fast.access(s.id()).isActive()).isFalse();
    assertThat(fast.delete(s.id(), EndReason.LOGOUT)).as("a logout still ends it").isFalse();
    assertThat(slow.access(s.id()).isActive()).as("ended by the logout, as is safe").isFalse();
    Session t = slow.create();
    advanceBoth(Duration.ofMinutes(27));
    fast.access(t.id());
    assertThat(slow.access(t.id()).isActive()).isTrue();
  }
}
