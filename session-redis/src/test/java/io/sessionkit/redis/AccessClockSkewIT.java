package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessResult;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access path judges expiry in Java against the server's own clock. A server whose clock runs
 * ahead refuses a session it believes expired, but deletes it (shared data) only once it is expired
 * by more than the tolerated skew: a server within the skew leaves it to the others. Two stores on
 * one real redis-server, with clocks 30 s and 5 min ahead of the reference.
 */
class AccessClockSkewIT {
  @RegisterExtension static final RedisFixture fixture = RedisFixture.standalone();

  private static final Duration IDLE = Duration.ofMinutes(30);

  private RedisSessionStore storeAt(MutableClock clock) {
    return RedisSessionStore.create(
        fixture.connector(), SessionConfig.builder().clock(clock).auditLogging(false).build());
  }

  @Test
  void aServerAheadWithinTheSkewRefusesButDoesNotDelete() {
    MutableClock reference = MutableClock.startingNow();
    MutableClock ahead = MutableClock.startingNow();
    RedisSessionStore here = storeAt(reference);
    RedisSessionStore fast = storeAt(ahead);
    Session s = here.create();
    // Just before the idle timeout for the reference; 30 s past it for the fast server.
    reference.advance(IDLE.minusSeconds(10));
    ahead.advance(IDLE.plusSeconds(30));
    assertThat(fast.access(s.id())).isEqualTo(AccessResult.ended(EndReason.IDLE_TIMEOUT));
    assertThat(here.access(s.id()).isActive()).as("still live for the servers in time").isTrue();
  }

  @Test
  void aServerBeyondTheSkewDeletes() {
    MutableClock reference = MutableClock.startingNow();
    MutableClock ahead = MutableClock.startingNow();
    RedisSessionStore here = storeAt(reference);
    RedisSessionStore fast = storeAt(ahead);
    Session s = here.create();
    reference.advance(IDLE.minusSeconds(10));
    ahead.advance(IDLE.plus(SessionConfig.DEFAULT_CLOCK_SKEW).plusSeconds(1));
    assertThat(fast.access(s.id())).isEqualTo(AccessResult.ended(EndReason.IDLE_TIMEOUT));
    assertThat(here.access(s.id()))
        .as("deleted: expired beyond the tolerated skew")
        .isEqualTo(AccessResult.absent());
  }

  @Test
  void aTouchNeverMovesLastAccessBackNorRecreatesADeletedSession() {
    MutableClock reference = MutableClock.startingNow();
    MutableClock behind = MutableClock.startingNow();
    RedisSessionStore here = storeAt(reference);
    RedisSessionStore slow = storeAt(behind);
    Session s = here.create();
    reference.advance(Duration.ofMinutes(10));
    behind.advance(Duration.ofMinutes(5));
    Session touched = here.access(s.id()).session().orElseThrow();
    assertThat(touched.lastAccessedAt()).isEqualTo(reference.instant());
    // By the slow server's clock the stored lastAccessedAt is in the future: no touch is due, and
    // nothing is written back.
    assertThat(slow.access(s.id()).session().orElseThrow().lastAccessedAt())
        .isEqualTo(reference.instant());
    here.delete(s.id(), EndReason.LOGOUT);
    behind.advance(Duration.ofMinutes(10));
    assertThat(slow.access(s.id())).isEqualTo(AccessResult.ended(EndReason.LOGOUT));
    assertThat(here.access(s.id())).isEqualTo(AccessResult.ended(EndReason.LOGOUT));
  }

  @Test
  void theSkewIsTheConfiguredOne() {
    MutableClock reference = MutableClock.startingNow();
    MutableClock ahead = MutableClock.startingNow();
    RedisSessionStore here = storeAt(reference);
    RedisSessionStore fast =
        RedisSessionStore.create(
            fixture.connector(),
            SessionConfig.builder()
                .clock(ahead)
                .clockSkew(Duration.ofMinutes(5))
                .auditLogging(false)
                .build());
    Session s = here.create();
    reference.advance(IDLE.minusSeconds(10));
    // beyond the default skew, within the configured one
    ahead.advance(IDLE.plusMinutes(2));
    assertThat(fast.access(s.id())).isEqualTo(AccessResult.ended(EndReason.IDLE_TIMEOUT));
    assertThat(here.access(s.id()).isActive())
        .as("not deleted by the server within its skew")
        .isTrue();
  }

  @Test
  void aTouchLeavesTheUserIndexAloneAndADeletionBeyondTheSkewDropsTheEntry() {
    MutableClock clock = MutableClock.startingNow();
    RedisSessionStore store = storeAt(clock);
    Session s = store.login(null, "erin").sessionOrThrow();
    String index = new Keys(RedisOptions.DEFAULT_KEY_PREFIX).userIndex("erin");
    Object score = fixture.server().call("ZSCORE", index, s.handle());
    clock.advance(Duration.ofMinutes(2));
    assertThat(store.access(s.id()).session().orElseThrow().lastAccessedAt())
        .as("touched")
        .isEqualTo(clock.instant());
    assertThat(fixture.server().call("ZSCORE", index, s.handle()))
        .as("not rescored by the touch")
        .isEqualTo(score);
    clock.advance(IDLE.plus(SessionConfig.DEFAULT_CLOCK_SKEW).plusSeconds(1));
    assertThat(store.access(s.id())).isEqualTo(AccessResult.ended(EndReason.IDLE_TIMEOUT));
    assertThat(fixture.server().call("ZCARD", index))
        .as("the entry went with the session")
        .isEqualTo(0L);
    assertThat(store.access(s.id())).isEqualTo(AccessResult.absent());
  }
}
