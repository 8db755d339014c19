package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A least-privilege ACL user is enough: only the key pattern {@code sk:*}, and only read, write,
 * scripting and connection commands, none of the dangerous ones but INFO and WAIT (which a durable
 * logout uses to count and wait for replicas). The README documents this ACL.
 */
class AclIT {
  /**
   * The ACL the README recommends, for the default key prefix. It also denies, by name, every
   * command that managed services block ({@code CONFIG}, {@code MONITOR}, {@code CLIENT}, {@code
   * KEYS}, {@code SCAN}), so that the suites run under it show SessionKit never needs one.
   */
  static final String[] ACL = {
    "ACL",
    "SETUSER",
    "sessionkit",
    "on",
    ">s3cret-pw",
    "resetkeys",
    "~sk:*",
    "resetchannels",
    "-@all",
    "+@read",
    "+@write",
    "+@scripting",
    "+@connection",
    "-@dangerous",
    "+info",
    "+wait",
    "-config",
    "-monitor",
    "-client",
    "-keys",
    "-scan"
  };

  /**
   * {@link #ACL} without {@code INFO} and {@code WAIT}, as some managed services give: SessionKit
   * connects, logs what it cannot check or wait for, and works.
   */
  static final String[] ACL_WITHOUT_INFO_OR_WAIT = withoutInfoOrWait();

  private static String[] withoutInfoOrWait() {
    List<String> acl = new ArrayList<>(List.of(ACL));
    acl.remove("+info");
    acl.remove("+wait");
    acl.add("-info");
    acl.add("-wait");
    return acl.toArray(new String[0]);
  }

  private static RedisServer redis;

  @BeforeAll
  static void start() {
    redis = RedisServers.startLocal();
    redis.call(ACL);
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static RedisOptions as(String user, String password) {
    return RedisOptions.fromUri(redis.uri()).toBuilder().credentials(user, password).build();
  }

  @Test
  void theDocumentedAclRunsEveryOperation() {
    try (RedisConnector connector = RedisConnector.connect(as("sessionkit", "s3cret-pw"));
        RedisSessionStore store =
            RedisSessionStore.create(
                connector, SessionConfig.builder().auditLogging(false).build());
        RedisTokenRevocationService tokens =
            RedisTokenRevocationService.create(
                connector, RevocationConfig.builder().auditLogging(false).build(), store)) {
      Session anonymous = store.create(SessionChanges.builder().set("cart", "x").build());
      Session alice = store.login(anonymous.id(), "alice").sessionOrThrow();
      store.update(alice.id(), SessionChanges.builder().set("theme", "dark").build());
      assertThat(store.access(alice.id()).isActive()).isTrue();
      Session renewed = store.renewId(alice.id()).orElseThrow();
      assertThat(store.listForUser("alice")).hasSize(1);
      Instant now = Instant.now();
      TokenClaims token = new TokenClaims("jti", "alice", now, now.plusSeconds(60));
      tokens.revoke(token);
      assertThat(tokens.check(token).isActive()).isFalse();
      RefreshToken refresh = tokens.issue("alice");
      assertThat(tokens.rotate(refresh.token()).isRotated()).isTrue();
      tokens.revokeAllForUser("alice", null);
      assertThat(store.access(renewed.id()).endReason()).contains(EndReason.ALL_REVOKED);
      tokens.revokeAllIssuedBefore(now);
    }
  }

  @Test
  void theCommandsManagedServicesBlockAreDeniedToTheRecommendedUser() {
    RedisURI uri = RedisURI.create(redis.uri());
    uri.setCredentialsProvider(
        new StaticCredentialsProvider("sessionkit", "s3cret-pw".toCharArray()));
    RedisClient client = RedisClient.create(uri);
    try (RedisConnector connector = RedisConnector.connect(as("sessionkit", "s3cret-pw"));
        StatefulRedisConnection<String, String> c = client.connect()) {
      var sync = c.sync();
      assertThatThrownBy(() -> sync.configGet("maxmemory")).hasMessageContaining("NOPERM");
      assertThatThrownBy(sync::clientList).hasMessageContaining("NOPERM");
      assertThatThrownBy(() -> sync.keys("*")).hasMessageContaining("NOPERM");
      assertThatThrownBy(sync::scan).hasMessageContaining("NOPERM");
      assertThat(connector.deploymentStatus().maxmemoryPolicy()).contains("noeviction");
      assertThat(connector.deploymentStatus().warnings()).isEmpty();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void withoutInfoAndWaitTheConnectorWarnsAndFallsBack() {
    redis.call(ACL_WITHOUT_INFO_OR_WAIT);
    try (RedisConnector connector = RedisConnector.connect(as("sessionkit", "s3cret-pw"))) {
      RedisDeploymentStatus status = connector.deploymentStatus();
      assertThat(status.maxmemoryPolicy()).isEmpty();
      assertThat(status.healthy()).isTrue();
      assertThat(status.warnings())
          .anySatisfy(w -> assertThat(w).contains("maxmemory_policy"))
          .anySatisfy(w -> assertThat(w).contains("WAIT is not permitted"));
      assertThatThrownBy(
              () ->
                  RedisConnector.connect(
                      as("sessionkit", "s3cret-pw").toBuilder().minReplicas(1).build()))
          .isInstanceOf(SessionException.class)
          .hasMessageContaining("minReplicas is 1")
          .hasMessageContaining("WAIT is not permitted");
    } finally {
      redis.call(ACL);
    }
  }

  @Test
  void keysOutsideThePatternAreRefused() {
    RedisOptions otherPrefix =
        as("sessionkit", "s3cret-pw").toBuilder().keyPrefix("other:").build();
    try (RedisSessionStore store =
        RedisSessionStore.create(otherPrefix, SessionConfig.defaults())) {
      assertThatThrownBy(store::create)
          .isInstanceOf(SessionException.class)
          .hasMessageContaining("NOPERM");
    }
  }

  @Test
  void aWrongPasswordFailsToConnect() {
    assertThatThrownBy(() -> RedisConnector.connect(as("sessionkit", "wrong")))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
