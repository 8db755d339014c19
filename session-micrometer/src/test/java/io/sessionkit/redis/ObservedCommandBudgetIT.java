package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.micrometer.SessionKitMetrics;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Metrics cost the request path no Redis command: with the listener and both decorators in place,
 * every operation sends exactly the commands of the command budget (counted with a Lettuce command
 * listener on the connector, as the budget test of session-redis does). In this package for the
 * connector's package-private counted factory.
 */
class ObservedCommandBudgetIT {
  private static final class Counter implements CommandListener {
    final AtomicLong count = new AtomicLong();

    @Override
    public void commandStarted(CommandStartedEvent event) {
      count.incrementAndGet();
    }
  }

  @Test
  void everyOperationCostsWhatItCostsWithoutMetrics() {
    Counter commands = new Counter();
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector =
            RedisConnector.connect(
                RedisOptions.fromUri(redis.uri()).toBuilder()
                    .commandTimeout(Duration.ofSeconds(10))
                    .build(),
                List.of(commands))) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      SessionKitMetrics metrics = SessionKitMetrics.create(registry);
      RedisSessionStore raw =
          RedisSessionStore.create(
              connector, metrics.register(SessionConfig.builder().auditLogging(false)).build());
      SessionStore store = metrics.observe(raw);
      TokenRevocationService tokens =
          metrics.observe(
              RedisTokenRevocationService.create(
                  connector,
                  metrics.register(RevocationConfig.builder().auditLogging(false)).build(),
                  raw));
      Supplier<Long> n = commands.count::get;

      long before = n.get();
      Session s = store.create();
      assertThat(n.get() - before).as("create").isEqualTo(1);
      before = n.get();
      store.access(s.id());
      assertThat(n.get() - before).as("access").isEqualTo(1);
      before = n.get();
      store.update(s.id(), SessionChanges.builder().set("a", 1).build());
      assertThat(n.get() - before).as("update").isEqualTo(1);
      before = n.get();
      Session u = store.login(null, "alice").sessionOrThrow();
      assertThat(n.get() - before).as("login").isEqualTo(1);
      before = n.get();
      store.access("malformed");
      assertThat(n.get() - before).as("a malformed id").isZero();
      before = n.get();
      store.delete(u.id(), EndReason.LOGOUT);
      assertThat(n.get() - before).as("logout").isEqualTo(1);
      Instant now = Instant.now();
      before = n.get();
      tokens.check(new TokenClaims("t", "alice", now, now.plusSeconds(60)));
      assertThat(n.get() - before).as("token check").isEqualTo(1);
      before = n.get();
      tokens.revokeAllForUser("alice", null);
      // Two bounded steps, as without metrics (CommandBudgetIT): the logout by id above left its
      // index entry, which the first step names and the second one reads and drops.
      assertThat(n.get() - before).as("sign out everywhere").isEqualTo(2);
      // and the meters did move
      assertThat(
              registry.get(SessionKitMetrics.STORE_OPERATIONS).timers().stream()
                  .mapToLong(t -> t.count())
                  .sum())
          .isEqualTo(8);
      assertThat(
              registry.get(SessionKitMetrics.IDS_INVALID).tag("source", "access").counter().count())
          .isEqualTo(1);
    }
  }
}
