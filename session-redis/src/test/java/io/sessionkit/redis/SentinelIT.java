package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.redis.RedisSentinelSetup;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store through {@code redis-sentinel://}: a master, a replica and a Sentinel started by the
 * test. Writes land on the master the Sentinel names and reach the replica; after a failover the
 * same store instance writes to the new master.
 */
class SentinelIT {
  private static RedisSentinelSetup sentinel;
  private static RedisConnector connector;

  @BeforeAll
  static void start() {
    sentinel = RedisServers.sentinel();
    RedisOptions options = RedisOptions.fromUri(sentinel.uri());
    assertThat(options.topology()).isEqualTo(RedisOptions.Topology.SENTINEL);
    connector = RedisConnector.connect(options);
  }

  @AfterAll
  static void stop() {
    connector.close();
    sentinel.close();
  }

  @Test
  void worksThroughTheSentinelAndSurvivesAFailover() {
    RedisSessionStore store =
        RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build());
    RedisTokenRevocationService tokens =
        RedisTokenRevocationService.create(
            connector, RevocationConfig.builder().auditLogging(false).build(), store);

    Session alice = store.login(null, "alice").sessionOrThrow();
    store.update(alice.id(), SessionChanges.builder().set("theme", "dark").build());
    assertThat(store.access(alice.id()).session().orElseThrow().attribute("theme"))
        .contains("dark");
    assertThat((Long) sentinel.master().call("DBSIZE")).isPositive();
    assertThat(sentinel.master().info("replication").get("role")).isEqualTo("master");

    String oldMaster = sentinel.currentMasterAddress();
    sentinel.sentinel().call("SENTINEL", "FAILOVER", RedisSentinelSetup.MASTER_NAME);
    awaitNewMaster(oldMaster);

    // The demoted master drops its clients; Lettuce reconnects through the Sentinel to the new one.
    Session bob = awaitWritable(store);
    assertThat(store.access(bob.id()).isActive()).isTrue();
    assertThat(store.access(alice.id()).isActive()).as("replicated before the failover").isTrue();
    assertThat(store.delete(alice.id(), EndReason.LOGOUT)).isTrue();
    Instant now = Instant.now();
    TokenClaims token = new TokenClaims("jti", "bob", now, now.plusSeconds(60));
    tokens.revoke(token);
    assertThat(tokens.check(token).isActive()).isFalse();
  }

  private static void awaitNewMaster(String oldMaster) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (sentinel.currentMasterAddress().equals(oldMaster)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the Sentinel did not fail over within 30 s");
      }
      pause();
    }
  }

  private static Session awaitWritable(RedisSessionStore store) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return store.login(null, "bob").sessionOrThrow();
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the store did not write to the new master within 30 s", e);
        }
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
