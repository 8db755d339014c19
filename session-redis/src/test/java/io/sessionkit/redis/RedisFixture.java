package io.sessionkit.redis;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.testkit.redis.RedisCluster;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Redis a test class runs against, registered as a static {@code @RegisterExtension} field: it
 * starts the servers and one counted {@link RedisConnector} before the class's first test and stops
 * both after its last, so a contract subclass states only the topology it runs on.
 */
final class RedisFixture implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<Deployment> starter;
  private @Nullable Deployment deployment;
  private int depth;

  private RedisFixture(Supplier<Deployment> starter) {
    this.starter = starter;
  }

  /**
   * @return a fixture on one standalone redis-server (or REDIS_URL)
   */
  static RedisFixture standalone() {
    return new RedisFixture(
        () -> {
          RedisServer redis = RedisServers.standalone();
          return new Deployment(redis, null, RedisOptions.fromUri(redis.uri()));
        });
  }

  /**
   * @return a fixture on one standalone redis-server whose stores keep the cluster-wide counts
   */
  static RedisFixture standaloneCounting() {
    return new RedisFixture(
        () -> {
          RedisServer redis = RedisServers.standalone();
          return new Deployment(
              redis,
              null,
              RedisOptions.fromUri(redis.uri()).toBuilder()
                  .counting(RedisOptions.Counting.EXACT)
                  .build());
        });
  }

  /**
   * @return a fixture on a Redis Cluster of {@code masters} masters started by the test
   */
  static RedisFixture cluster(int masters) {
    return new RedisFixture(
        () -> {
          RedisCluster cluster = RedisServers.cluster(masters);
          return new Deployment(null, cluster, RedisOptions.cluster(cluster.seedUris()));
        });
  }

  /**
   * A fixture on a local redis-server where SessionKit authenticates as the least-privilege ACL
   * user ({@link AclIT#ACL}); the test's own administration (FLUSHALL) uses the default user.
   *
   * @return the fixture
   */
  static RedisFixture aclUser() {
    return new RedisFixture(
        () -> {
          RedisServer redis = RedisServers.startLocal();
          redis.call(AclIT.ACL);
          return new Deployment(
              redis,
              null,
              RedisOptions.fromUri(redis.uri()).toBuilder()
                  .credentials("sessionkit", "s3cret-pw")
                  .build());
        });
  }

  /**
   * Like {@link #aclUser()}, but the user may not run {@code INFO} or {@code WAIT} ({@link
   * AclIT#ACL_WITHOUT_INFO_OR_WAIT}): the connector's documented fallback.
   *
   * @return the fixture
   */
  static RedisFixture aclUserWithoutInfoOrWait() {
    return new RedisFixture(
        () -> {
          RedisServer redis = RedisServers.startLocal();
          redis.call(AclIT.ACL_WITHOUT_INFO_OR_WAIT);
          return new Deployment(
              redis,
              null,
              RedisOptions.fromUri(redis.uri()).toBuilder()
                  .credentials("sessionkit", "s3cret-pw")
                  .build());
        });
  }

  // JUnit calls the callbacks again for every @Nested class of the suite: only the outermost class
  // starts and stops the servers, so the nested classes share them.
  @Override
  public void beforeAll(ExtensionContext context) {
    if (depth++ == 0) {
      deployment = starter.get();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (--depth > 0) {
      return;
    }
    Deployment d = deployment();
    deployment = null;
    d.connector.close();
    if (d.server != null) {
      d.server.close();
    }
    if (d.cluster != null) {
      d.cluster.close();
    }
  }

  /**
   * @return the connector every store and service of the class shares
   */
  RedisConnector connector() {
    return deployment().connector;
  }

  /**
   * @return the listener that counts the commands sent through {@link #connector()}
   */
  CommandCounter commands() {
    return deployment().commands;
  }

  /**
   * @return the cluster; fails on a standalone fixture
   */
  RedisCluster cluster() {
    return Objects.requireNonNull(deployment().cluster, "this fixture runs a standalone server");
  }

  /**
   * @return the standalone server; fails on a cluster fixture
   */
  RedisServer server() {
    return Objects.requireNonNull(deployment().server, "this fixture runs a cluster");
  }

  /**
   * Deletes every key on every server, then writes the flush-defence epochs as a store long in
   * service holds them (at the epoch of time, so they refuse nothing): token tests start from a
   * clean store, not from one that lost its memory ({@link #flushAll()} is that).
   */
  void flushAllAsNewStore() {
    flushAll();
    RedisTokenRevocationService.adoptStore(connector(), Instant.EPOCH);
  }

  /** Deletes every key on every server (for the token service, the store lost its memory). */
  void flushAll() {
    Deployment d = deployment();
    if (d.server != null) {
      d.server.flushAll();
    }
    if (d.cluster != null) {
      d.cluster.flushAll();
    }
  }

  SessionStore newStore(SessionConfig config) {
    return RedisSessionStore.create(connector(), config);
  }

  TokenRevocationService newService(RevocationConfig config, SessionStore sessions) {
    return RedisTokenRevocationService.create(connector(), config, sessions);
  }

  private Deployment deployment() {
    return Objects.requireNonNull(deployment, "the fixture is used outside its test class");
  }

  /** What {@link #beforeAll} started: exactly one of server and cluster is set. */
  private static final class Deployment {
    final @Nullable RedisServer server;
    final @Nullable RedisCluster cluster;
    final CommandCounter commands = new CommandCounter();
    final RedisConnector connector;

    Deployment(@Nullable RedisServer server, @Nullable RedisCluster cluster, RedisOptions options) {
      this.server = server;
      this.cluster = cluster;
      this.connector = RedisConnector.connect(options, List.of(commands));
    }
  }
}
