package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.redis.RedisCluster;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis Cluster faults under load (issue 7, item 1): a master killed with SIGKILL and its replica
 * promoted, and slots migrated with {@code redis-cli --cluster reshard} while 16 threads work. The
 * store follows the new topology (Lettuce refreshes it on MOVED, ASK and failed reconnects), every
 * session that was replicated before the kill survives, and the migration fails no request.
 */
class FaultClusterIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final int THREADS = 16;
  private static final long SEED = Long.getLong("fault.seed", System.nanoTime());

  private static RedisSessionStore store(List<String> seeds) {
    RedisOptions options =
        RedisOptions.builder().clusterSeeds(seeds).commandTimeout(COMMAND_TIMEOUT).build();
    return RedisSessionStore.create(options, SessionConfig.builder().auditLogging(false).build());
  }

  @Test
  void aMasterKilledUnderLoadIsReplacedByItsReplicaAndReplicatedSessionsSurvive() {
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        // The bus port is chosen free here: the default (port + 10000) may be taken.
        nodes.add(
            RedisServers.startLocal(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "1000",
                "--cluster-replica-validity-factor",
                "0",
                "--cluster-port",
                String.valueOf(freePort())));
      }
      List<String> create =
          new ArrayList<>(List.of(RedisServers.cliBinary(), "--cluster", "create"));
      nodes.forEach(n -> create.add(n.address()));
      create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      run(create, nodes.get(0).workDir().resolve("cluster-create.log"));
      awaitClusterOk(nodes, Duration.ofSeconds(30));
      List<RedisServer> masters =
          nodes.stream().filter(n -> "master".equals(n.info("replication").get("role"))).toList();
      assertThat(masters).hasSize(3);
      for (RedisServer n : nodes) {
        if (!masters.contains(n)) {
          awaitField(n, "master_link_status", "up", Duration.ofSeconds(30));
        }
      }
      RedisServer victim = masters.get(0);
      RedisServer heir =
          nodes.stream()
              .filter(
                  n ->
                      !masters.contains(n)
                          && String.valueOf(victim.port())
                              .equals(n.info("replication").get("master_port")))
              .findFirst()
              .orElseThrow();

      try (RedisSessionStore store = store(nodes.stream().map(RedisServer::uri).toList())) {
        List<Session> before = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
          before.add(store.login(null, "user" + i).sessionOrThrow());
        }
        awaitReplicated(victim, heir, Duration.ofSeconds(10));
        try (FaultLoad load = new FaultLoad(store, THREADS, SEED)) {
          load.awaitSuccesses(2_000, Duration.ofSeconds(60));
          long killed = System.nanoTime();
          victim.kill();
          awaitField(heir, "role", "master", Duration.ofSeconds(30));
          long promoted = System.nanoTime();
          long failuresAtPromotion = load.failures();
          load.awaitSuccesses(2_000, Duration.ofSeconds(30));
          long served = System.nanoTime();
          List<Thread> stuck = load.stop(COMMAND_TIMEOUT.multipliedBy(2));
          long lostBefore =
              before.stream()
                  .filter(s -> !store.access(s.id(), AccessMode.PASSIVE).isActive())
                  .count();
          List<Session> acknowledged = load.acknowledged();
          long lostDuring =
              acknowledged.stream()
                  .filter(s -> !store.access(s.id(), AccessMode.PASSIVE).isActive())
                  .count();
          System.out.printf(
              "FaultClusterIT failover: replica promoted %d ms after the kill, load served again "
                  + "(2,000 more calls) %d ms after it; %d calls failed with StoreUnavailableException; slowest call %d ms; "
                  + "%d of %d replicated sessions lost; %d of %d sessions created under load lost to asynchronous "
                  + "replication; %d unexpected errors%n",
              (promoted - killed) / 1_000_000,
              (served - killed) / 1_000_000,
              failuresAtPromotion,
              load.slowestCall().toMillis(),
              lostBefore,
              before.size(),
              lostDuring,
              acknowledged.size(),
              load.unexpected().size());
          assertThat(load.unexpected()).isEmpty();
          assertThat(stuck).isEmpty();
          assertThat(load.slowestCall()).isLessThanOrEqualTo(COMMAND_TIMEOUT.plusSeconds(1));
          assertThat(lostBefore).isZero();
        }
      }
    } finally {
      nodes.forEach(RedisServer::close);
    }
  }

  @Test
  void slotsMigratedUnderLoadFailNoRequest() {
    try (RedisCluster cluster = RedisServers.cluster(3);
        RedisSessionStore store = store(cluster.seedUris())) {
      List<Session> before = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        before.add(store.login(null, "user" + i).sessionOrThrow());
      }
      RedisServer from = cluster.masters().get(0);
      RedisServer to = cluster.masters().get(1);
      try (FaultLoad load = new FaultLoad(store, THREADS, SEED)) {
        load.awaitSuccesses(2_000, Duration.ofSeconds(60));
        long start = System.nanoTime();
        run(
            List.of(
                RedisServers.cliBinary(),
                "--cluster",
                "reshard",
                from.address(),
                "--cluster-from",
                String.valueOf(from.call("CLUSTER", "MYID")),
                "--cluster-to",
                String.valueOf(to.call("CLUSTER", "MYID")),
                "--cluster-slots",
                "2000",
                "--cluster-yes",
                "--cluster-pipeline",
                "10"),
            from.workDir().resolve("reshard.log"));
        long reshardMillis = (System.nanoTime() - start) / 1_000_000;
        long callsDuring = load.successes();
        load.awaitSuccesses(1_000, Duration.ofSeconds(30));
        List<Thread> stuck = load.stop(COMMAND_TIMEOUT.multipliedBy(2));
        long lost =
            before.stream()
                .filter(s -> !store.access(s.id(), AccessMode.PASSIVE).isActive())
                .count();
        List<Session> acknowledged = load.acknowledged();
        long lostUnderLoad =
            acknowledged.stream()
                .filter(s -> !store.access(s.id(), AccessMode.PASSIVE).isActive())
                .count();
        System.out.printf(
            "FaultClusterIT reshard: 2,000 slots moved in %d ms under %d threads; %d calls succeeded "
                + "in all, %d failed, %d unexpected errors; sessions lost: %d of %d before, %d of %d created under load%n",
            reshardMillis,
            THREADS,
            callsDuring,
            load.failures(),
            load.unexpected().size(),
            lost,
            before.size(),
            lostUnderLoad,
            acknowledged.size());
        assertThat(load.unexpected()).isEmpty();
        assertThat(load.failures())
            .as("requests failed during the migration: %s", load.failureMessages())
            .isZero();
        assertThat(stuck).isEmpty();
        assertThat(lost).isZero();
        assertThat(lostUnderLoad).isZero();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitClusterOk(List<RedisServer> nodes, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      boolean ok = true;
      for (RedisServer n : nodes) {
        String info = String.valueOf(n.call("CLUSTER", "INFO"));
        ok &=
            info.contains("cluster_state:ok")
                && info.contains("cluster_known_nodes:" + nodes.size());
      }
      if (ok) {
        return;
      }
      assertThat(System.nanoTime()).as("cluster_state:ok within " + within).isLessThan(deadline);
      FaultLoad.pause(50);
    }
  }

  private static void awaitField(RedisServer node, String field, String value, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Map<String, String> info = node.info("replication");
      if (value.equals(info.get(field))) {
        return;
      }
      assertThat(System.nanoTime())
          .as("%s:%s on %s within %s", field, value, node, within)
          .isLessThan(deadline);
      FaultLoad.pause(20);
    }
  }

  /** Waits until the replica has everything the master wrote so far. */
  private static void awaitReplicated(RedisServer master, RedisServer replica, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long m = Long.parseLong(master.info("replication").get("master_repl_offset"));
      String r = replica.info("replication").get("slave_repl_offset");
      if (r != null && Long.parseLong(r) >= m) {
        return;
      }
      assertThat(System.nanoTime()).as("replica in sync within " + within).isLessThan(deadline);
      FaultLoad.pause(20);
    }
  }

  private static void run(List<String> command, Path log) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + p.exitValue()
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
