package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionStore;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Logins whose current session lives in another slot than the user's, under {@link
 * OnLimit#REJECT_NEW}, racing the operations that end or count sessions (issue 11, item 4). A
 * refused login must never take the current session away, even for a moment: otherwise a "sign out
 * everywhere" running meanwhile misses it and the refused login puts it back (a stolen session
 * survives a password change), and a login of its owner meanwhile sees one session fewer (the owner
 * ends with limit + 1). Two stores stand for two servers, each on its own connection.
 *
 * <p>The seed is printed; rerun with {@code -Drace.seed=N}.
 */
abstract class CrossSlotLoginRaces {
  static final long SEED = Long.getLong("race.seed", System.nanoTime());
  static final int ITERATIONS = Integer.getInteger("race.crossSlot.iterations", 150);
  static final String ATTACKER = "attacker";

  private final Random random = new Random(SEED);
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  /**
   * @return a connector of "server A"
   */
  abstract RedisConnector serverA();

  /**
   * @return a connector of "server B", on its own connection
   */
  abstract RedisConnector serverB();

  /** Deletes every key. */
  abstract void flushAll();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static SessionStore store(RedisConnector c, int limit) {
    return RedisSessionStore.create(
        c,
        SessionConfig.builder()
            .loginPolicy(LoginPolicy.maxSessionsPerUser(limit, OnLimit.REJECT_NEW))
            .auditLogging(false)
            .build());
  }

  /**
   * A user whose slot differs from the attacker's, so that a login from its session crosses slots.
   */
  private static String userInAnotherSlot(String prefix, int i) {
    for (int n = 0; ; n++) {
      String u = prefix + i + "-" + n;
      if (!Digests.tagForUser(u).equals(Digests.tagForUser(ATTACKER))) {
        return u;
      }
    }
  }

  @Test
  void refusedLoginsLoopingOnAStolenSessionNeverKeepItThroughSignOutEverywhere() throws Exception {
    flushAll();
    SessionStore victimServer = store(serverA(), 1);
    SessionStore attackerServer = store(serverB(), 1);
    Session attackersOwn = attackerServer.login(null, ATTACKER).sessionOrThrow();
    int attempts = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      String victim = userInAnotherSlot("victim", i);
      Session stolen = victimServer.login(null, victim).sessionOrThrow();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger refused = new AtomicInteger();
      CountDownLatch started = new CountDownLatch(1);
      Future<?> attacker =
          pool.submit(
              () -> {
                while (!stop.get()) {
                  LoginResult r = attackerServer.login(stolen.id(), ATTACKER);
                  assertThat(r.isAccepted())
                      .as("the attacker is at the limit: every login is refused")
                      .isFalse();
                  refused.incrementAndGet();
                  started.countDown();
                }
                return null;
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      LockSupport.parkNanos(random.nextInt(2_000_000));
      int ended = victimServer.deleteAllForUser(victim, null, EndReason.ALL_REVOKED);
      // the attacker goes on for a moment after the sign-out returned, as it would in real life
      LockSupport.parkNanos(random.nextInt(1_000_000));
      stop.set(true);
      attacker.get(30, TimeUnit.SECONDS);
      attempts += refused.get();
      assertThat(ended)
          .as("iteration %d: the sign-out saw the stolen session (seed=%d)", i, SEED)
          .isEqualTo(1);
      assertThat(victimServer.access(stolen.id()).isActive())
          .as("iteration %d: the stolen session survived sign-out everywhere (seed=%d)", i, SEED)
          .isFalse();
      assertThat(attackerServer.access(stolen.id()).endReason()).contains(EndReason.ALL_REVOKED);
      assertThat(victimServer.listForUser(victim)).isEmpty();
    }
    assertThat(attackerServer.access(attackersOwn.id()).isActive()).isTrue();
    System.out.printf(
        "%s: %d iterations, %d refused cross-slot logins raced sign-out everywhere, 0 stolen sessions "
            + "survived (seed=%d)%n",
        getClass().getSimpleName(), ITERATIONS, attempts, SEED);
  }

  @Test
  void aRefusedCrossSlotLoginNeverLetsItsOwnerHoldLimitPlusOne() throws Exception {
    flushAll();
    int limit = 2;
    SessionStore a = store(serverA(), limit);
    SessionStore b = store(serverB(), limit);
    b.login(null, ATTACKER).sessionOrThrow();
    b.login(null, ATTACKER).sessionOrThrow();
    int ownerAccepted = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      String owner = userInAnotherSlot("owner", i);
      Session first = a.login(null, owner).sessionOrThrow();
      a.login(null, owner).sessionOrThrow();
      long pauseA = random.nextInt(500_000);
      long pauseB = random.nextInt(500_000);
      CountDownLatch go = new CountDownLatch(1);
      Future<LoginResult> refused =
          pool.submit(
              () -> {
                go.await();
                LockSupport.parkNanos(pauseA);
                return b.login(first.id(), ATTACKER);
              });
      Future<LoginResult> ownerLogin =
          pool.submit(
              () -> {
                go.await();
                LockSupport.parkNanos(pauseB);
                return a.login(null, owner);
              });
      go.countDown();
      assertThat(refused.get(30, TimeUnit.SECONDS).isAccepted()).isFalse();
      if (ownerLogin.get(30, TimeUnit.SECONDS).isAccepted()) {
        ownerAccepted++;
      }
      List<SessionInfo> live = a.listForUser(owner);
      assertThat(live)
          .as("iteration %d: the owner's live sessions (seed=%d)", i, SEED)
          .hasSize(limit);
      assertThat(a.access(first.id()).isActive()).isTrue();
    }
    assertThat(ownerAccepted).as("the owner was at the limit the whole time").isZero();
    System.out.printf(
        "%s: %d iterations of a refused cross-slot login racing its owner's login at the limit: the "
            + "owner never held more than %d (seed=%d)%n",
        getClass().getSimpleName(), ITERATIONS, limit, SEED);
  }
}
