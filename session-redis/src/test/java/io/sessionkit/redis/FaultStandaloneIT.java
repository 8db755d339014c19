package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A standalone Redis that crashes or hangs under load from 32 threads (issue 7, item 1; design
 * guarantee 7; checklist F38). Every call fails fast with StoreUnavailableException, none takes
 * longer than the command timeout plus one second, no thread is stuck, and the same store instance
 * serves again within two seconds of Redis coming back, with every acknowledged session intact.
 */
class FaultStandaloneIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration SLACK = Duration.ofSeconds(1);
  private static final Duration RECOVERY = Duration.ofSeconds(2);
  private static final int THREADS = 32;
  private static final long SEED = Long.getLong("fault.seed", System.nanoTime());

  private static RedisSessionStore store(RedisServer redis) {
    RedisOptions options =
        RedisOptions.builder().uri(redis.uri()).commandTimeout(COMMAND_TIMEOUT).build();
    return RedisSessionStore.create(options, SessionConfig.builder().auditLogging(false).build());
  }

  @Test
  void killNineUnderLoadFailsFastAndRecoversFromTheAppendOnlyFileWithNothingAcknowledgedLost() {
    try (RedisServer redis =
            RedisServers.startLocal("--appendonly", "yes", "--appendfsync", "always");
        RedisSessionStore store = store(redis);
        FaultLoad load = new FaultLoad(store, THREADS, SEED)) {
      load.awaitSuccesses(2_000, Duration.ofSeconds(60));
      load.resetSlowest();
      redis.kill();
      long failuresBefore = load.failures();
      load.awaitFailures(THREADS, Duration.ofSeconds(10));
      FaultLoad.pause(1_500); // the outage: every thread keeps calling while Redis is gone
      long failedDuringOutage = load.failures() - failuresBefore;
      Duration slowest = load.slowestCall();
      redis.restart();
      long back = System.nanoTime();
      long served = load.firstSuccessAfter(back, RECOVERY);
      Duration recovery = Duration.ofNanos(served - back);
      load.awaitSuccesses(1_000, Duration.ofSeconds(30));
      List<Thread> stuck = load.stop(COMMAND_TIMEOUT.plus(SLACK));
      List<Session> acknowledged = load.acknowledged();
      long lost =
          acknowledged.stream()
              .filter(s -> !store.access(s.id(), AccessMode.PASSIVE).isActive())
              .count();

      System.out.printf(
          "FaultStandaloneIT kill -9: %d threads, %d calls failed with StoreUnavailableException "
              + "during the outage, slowest call %d ms (timeout %d ms), served again %d ms after restart, %d sessions "
              + "acknowledged, %d lost, %d unexpected errors%n",
          THREADS,
          failedDuringOutage,
          slowest.toMillis(),
          COMMAND_TIMEOUT.toMillis(),
          recovery.toMillis(),
          acknowledged.size(),
          lost,
          load.unexpected().size());
      assertThat(load.unexpected()).as("errors other than StoreUnavailableException").isEmpty();
      assertThat(slowest).isLessThanOrEqualTo(COMMAND_TIMEOUT.plus(SLACK));
      assertThat(stuck).as("threads stuck past timeout + 1 s").isEmpty();
      assertThat(recovery).isLessThanOrEqualTo(RECOVERY);
      assertThat(lost).as("acknowledged sessions lost").isZero();
    }
  }

  @Test
  void aHungServerTimesCallsOutAndTheStoreRecoversWhenItResumes() throws Exception {
    try (RedisServer redis = RedisServers.startLocal();
        RedisSessionStore store = store(redis);
        FaultLoad load = new FaultLoad(store, THREADS, SEED)) {
      String pid = redis.info("server").get("process_id");
      load.awaitSuccesses(2_000, Duration.ofSeconds(60));
      load.resetSlowest();
      signal("STOP", pid);
      long resumed;
      long failuresBefore = load.failures();
      try {
        load.awaitFailures(THREADS, Duration.ofSeconds(10));
        FaultLoad.pause(2_500); // the hang: two more rounds of timeouts
      } finally {
        signal("CONT", pid);
        resumed = System.nanoTime();
      }
      long timedOut = load.failures() - failuresBefore;
      Duration slowest = load.slowestCall();
      long served = load.firstSuccessAfter(resumed, RECOVERY);
      Duration recovery = Duration.ofNanos(Math.max(0, served - resumed));
      load.awaitSuccesses(1_000, Duration.ofSeconds(30));
      List<Thread> stuck = load.stop(COMMAND_TIMEOUT.plus(SLACK));
      List<Session> acknowledged = load.acknowledged();
      long lost =
          acknowledged.stream()
              .filter(s -> !store.access(s.id(), AccessMode.PASSIVE).isActive())
              .count();

      System.out.printf(
          "FaultStandaloneIT SIGSTOP/SIGCONT: %d threads, %d calls timed out, slowest call %d ms "
              + "(timeout %d ms), served again %d ms after SIGCONT, %d sessions acknowledged, %d lost%n",
          THREADS,
          timedOut,
          slowest.toMillis(),
          COMMAND_TIMEOUT.toMillis(),
          recovery.toMillis(),
          acknowledged.size(),
          lost);
      assertThat(load.unexpected()).as("errors other than StoreUnavailableException").isEmpty();
      assertThat(slowest).isLessThanOrEqualTo(COMMAND_TIMEOUT.plus(SLACK));
      assertThat(stuck).isEmpty();
      assertThat(recovery).isLessThanOrEqualTo(RECOVERY);
      assertThat(lost).isZero();
    }
  }

  static void signal(String signal, String pid) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
    }
  }
}
