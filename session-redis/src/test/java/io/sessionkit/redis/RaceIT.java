package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionStore;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Races between two servers (issue 7, item 3; checklist E27 to E29, G40), 1,000 iterations each.
 * Two stores stand for two servers: each has its own connection to Redis through a {@link
 * RaceDelayProxy} that holds every chunk for a random 0 to 2 ms, and each racing call also starts
 * after a random pause of up to 0.5 ms, so the commands interleave in every order.
 *
 * <p>The seed is printed; rerun with {@code -Drace.seed=N} to replay the same pauses.
 */
class RaceIT {
  private static final long SEED = Long.getLong("race.seed", System.nanoTime());
  private static final int ITERATIONS = Integer.getInteger("race.iterations", 1_000);
  private static final int LIMIT = 3;
  private static final int LOGINS = 8;

  private static RedisServer redis;
  private static RaceDelayProxy proxy;
  private static RedisConnector serverA;
  private static RedisConnector serverB;
  private static ExecutorService pool;
  private static final Keys KEYS = new Keys(RedisOptions.DEFAULT_KEY_PREFIX);
  private final Random random = new Random(SEED);

  @BeforeAll
  static void start() throws Exception {
    System.out.println("RaceIT seed=" + SEED + " (rerun with -Drace.seed=" + SEED + ")");
    redis = RedisServers.standalone();
    redis.flushAll();
    proxy = new RaceDelayProxy(redis.host(), redis.port(), SEED, 2_000);
    serverA = RedisConnector.connect(RedisOptions.fromUri(proxy.uri()));
    serverB = RedisConnector.connect(RedisOptions.fromUri(proxy.uri()));
    pool = Executors.newFixedThreadPool(LOGINS);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    serverA.close();
    serverB.close();
    proxy.close();
    redis.close();
  }

  private static SessionStore store(RedisConnector c, LoginPolicy policy) {
    return RedisSessionStore.create(
        c, SessionConfig.builder().loginPolicy(policy).auditLogging(false).build());
  }

  /** Runs the tasks at once, each after its own random pause; returns their results in order. */
  private <T> List<T> race(List<Callable<T>> tasks) {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      long pauseNanos = random.nextInt(500_000);
      futures.add(
          pool.submit(
              () -> {
                go.await();
                LockSupport.parkNanos(pauseNanos);
                return task.call();
              }));
    }
    go.countDown();
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) {
      try {
        out.add(f.get(30, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        throw new AssertionError("a racing call failed (seed=" + SEED + ")", e.getCause());
      } catch (InterruptedException | TimeoutException e) {
        throw new AssertionError("a racing call did not finish (seed=" + SEED + ")", e);
      }
    }
    return out;
  }

  private static boolean exists(String key) {
    return ((Long) redis.call("EXISTS", key)) == 1L;
  }

  private static String sessionKey(String id) {
    return KEYS.session(SessionIdGenerator.tagOf(id), Digests.handleOf(id));
  }

  @Test
  void logoutRacingATouchAndWriteNeverResurrectsTheSession() {
    SessionStore a = store(serverA, LoginPolicy.unlimited());
    SessionStore b = store(serverB, LoginPolicy.unlimited());
    int writesBeforeLogout = 0;
    int writesRefused = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      Session s = a.login(null, "user" + (i % 50)).sessionOrThrow();
      a.update(s.id(), SessionChanges.builder().set("cart", 1).build());
      int n = i;
      List<Object> r =
          race(
              List.of(
                  () -> {
                    a.access(s.id()); // the request loads (and touches) the session, then writes
                    return a.update(
                        s.id(), SessionChanges.builder().set("cart", n).set("step" + n, n).build());
                  },
                  () -> b.delete(s.id(), EndReason.LOGOUT)));
      if ((Boolean) r.get(0)) {
        writesBeforeLogout++;
      } else {
        writesRefused++;
      }
      assertThat((Boolean) r.get(1))
          .as("iteration %d: the logout ended the session (seed=%d)", i, SEED)
          .isTrue();
      assertThat(a.access(s.id()).isActive())
          .as("iteration %d: resurrected (seed=%d)", i, SEED)
          .isFalse();
      assertThat(exists(sessionKey(s.id())))
          .as("iteration %d: a (partial) hash is left (seed=%d)", i, SEED)
          .isFalse();
      assertThat(a.listForUser("user" + (i % 50)))
          .extracting(x -> x.handle())
          .doesNotContain(s.handle());
    }
    System.out.printf(
        "RaceIT logout vs touch+write: %d iterations, %d writes landed before the logout, %d refused "
            + "after it, 0 sessions resurrected, 0 partial hashes%n",
        ITERATIONS, writesBeforeLogout, writesRefused);
  }

  @Test
  void renewIdRacingASaveLandsTheWriteOnTheNewIdOnly() {
    SessionStore a = store(serverA, LoginPolicy.unlimited());
    SessionStore b = store(serverB, LoginPolicy.unlimited());
    int carried = 0;
    int refused = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      Session s = a.create(SessionChanges.builder().set("base", "x").build());
      int n = i;
      List<Object> r =
          race(
              List.of(
                  () -> a.update(s.id(), SessionChanges.builder().set("w", n).build()),
                  () -> b.renewId(s.id())));
      boolean wrote = (Boolean) r.get(0);
      @SuppressWarnings("unchecked") // the second task returns renewId's Optional<Session>
      Optional<Session> renewed = (Optional<Session>) r.get(1);
      assertThat(renewed).as("iteration %d (seed=%d)", i, SEED).isPresent();
      String newId = renewed.get().id();
      assertThat(a.access(s.id()).isActive())
          .as("iteration %d: old id alive (seed=%d)", i, SEED)
          .isFalse();
      assertThat(exists(sessionKey(s.id())))
          .as("iteration %d: old id has a key (seed=%d)", i, SEED)
          .isFalse();
      Session now = a.access(newId).session().orElseThrow();
      assertThat(now.attribute("base")).contains("x");
      if (wrote) {
        carried++;
        assertThat(now.attribute("w"))
            .as("iteration %d: acknowledged write lost (seed=%d)", i, SEED)
            .contains(n);
      } else {
        refused++;
        assertThat(now.attribute("w"))
            .as("iteration %d: refused write landed (seed=%d)", i, SEED)
            .isEmpty();
      }
    }
    System.out.printf(
        "RaceIT renewId vs save: %d iterations, %d writes carried to the new id, %d refused on the "
            + "dead old id, 0 writes on the old id%n",
        ITERATIONS, carried, refused);
  }

  @Test
  void twoConcurrentRenewIdsLeaveExactlyOneLiveSuccessor() {
    SessionStore a = store(serverA, LoginPolicy.unlimited());
    SessionStore b = store(serverB, LoginPolicy.unlimited());
    int aWon = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      Session s = a.login(null, "renewer" + (i % 20)).sessionOrThrow();
      List<Optional<Session>> r = race(List.of(() -> a.renewId(s.id()), () -> b.renewId(s.id())));
      long winners = r.stream().filter(Optional::isPresent).count();
      assertThat(winners).as("iteration %d: successors (seed=%d)", i, SEED).isEqualTo(1);
      Session successor = r.get(0).orElseGet(() -> r.get(1).orElseThrow());
      aWon += r.get(0).isPresent() ? 1 : 0;
      assertThat(a.access(s.id()).isActive()).isFalse();
      assertThat(b.access(successor.id()).isActive()).isTrue();
      assertThat(a.listForUser("renewer" + (i % 20)))
          .extracting(x -> x.handle())
          .contains(successor.handle())
          .doesNotContain(s.handle());
    }
    System.out.printf(
        "RaceIT renewId vs renewId: %d iterations, exactly 1 live successor each (server A won %d)%n",
        ITERATIONS, aWon);
  }

  @Test
  void loginsRacingOnTwoServersNeverExceedTheLimit() {
    for (OnLimit onLimit : OnLimit.values()) {
      LoginPolicy policy = LoginPolicy.maxSessionsPerUser(LIMIT, onLimit);
      SessionStore a = store(serverA, policy);
      SessionStore b = store(serverB, policy);
      int iterations = ITERATIONS;
      long accepted = 0;
      for (int i = 0; i < iterations; i++) {
        String user = onLimit + "-" + i;
        List<Callable<LoginResult>> logins = new ArrayList<>();
        for (int k = 0; k < LOGINS; k++) {
          SessionStore s = k % 2 == 0 ? a : b;
          logins.add(() -> s.login(null, user));
        }
        List<LoginResult> r = race(logins);
        long ok = r.stream().filter(LoginResult::isAccepted).count();
        accepted += ok;
        int live = a.listForUser(user).size();
        assertThat(live)
            .as("iteration %d %s: live sessions (seed=%d)", i, onLimit, SEED)
            .isEqualTo(LIMIT);
        if (onLimit == OnLimit.REJECT_NEW) {
          assertThat(ok).as("iteration %d: accepted logins (seed=%d)", i, SEED).isEqualTo(LIMIT);
        } else {
          assertThat(ok).isEqualTo(LOGINS);
        }
      }
      System.out.printf(
          "RaceIT logins vs limit %d (%s): %d iterations x %d logins on 2 servers, %d accepted, never "
              + "more than %d live%n",
          LIMIT, onLimit, iterations, LOGINS, accepted, LIMIT);
    }
  }
}
