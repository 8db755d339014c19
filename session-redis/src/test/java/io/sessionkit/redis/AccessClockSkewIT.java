package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessResult;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.redis.internal.SessionReader;
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
  @RegisterExtension
  static final RedisFixture fixture = RedisFixture.standalone();

  private static final Duration IDLE = Duration.ofMinutes(30);

  private RedisSessionStore storeAt(MutableClock clock) {
    return RedisSessionStore.create(fixture.connector(), SessionConfig.builder().clock(clock).auditLogging(false)
        .build());
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
    ahead.advance(IDLE.plus(SessionReader.CLOCK_SKEW).plusSeconds(1));
    assertThat(fast.access(s.id())).isEqualTo(AccessResult.ended(EndReason.IDLE_TIMEOUT));
    assertThat(here.access(s.id())).as("deleted: expired beyond the tolerated skew").isEqualTo(AccessResult.absent());
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
    assertThat(slow.access(s.id()).session().orElseThrow().lastAccessedAt()).isEqualTo(reference.instant());
    here.delete(s.id(), EndReason.LOGOUT);
    behind.advance(Duration.ofMinutes(10));
    assertThat(slow.access(s.id())).isEqualTo(AccessResult.ended(EndReason.LOGOUT));
    assertThat(here.access(s.id())).isEqualTo(AccessResult.ended(EndReason.LOGOUT));
  }
}
