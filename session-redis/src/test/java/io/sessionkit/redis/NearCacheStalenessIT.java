package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessResult;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two servers, A and B, each with its own connector and near cache, on one real redis-server. The
 * near cache's staleness bound is a security property: once a revocation returns on A, B must
 * refuse the session or token within {@link NearCacheOptions#maxAge()}. Each trial measures the
 * delay from "A's call returned" to "B refuses"; every trial must be within the bound (asserted),
 * and the distribution is printed (not asserted: speed belongs in benchmarks).
 */
class NearCacheStalenessIT {
  private static final int TRIALS = 1_000;
  private static final Duration MAX_AGE = NearCacheOptions.DEFAULT_MAX_AGE;

  private static RedisServer redis;
  private static Server a;
  private static Server b;

  /** One application server: its connector, near cache, cached store and cached token service. */
  private record Server(
      RedisConnector connector,
      CommandCounter commands,
      NearCache near,
      NearCachedSessionStore sessions,
      NearCachedTokenRevocationService tokens)
      implements AutoCloseable {

    static Server start(String uri, NearCacheOptions options) {
      CommandCounter commands = new CommandCounter();
      RedisConnector connector =
          RedisConnector.connect(RedisOptions.fromUri(uri), List.of(commands));
      NearCache near = NearCache.create(connector, options);
      RedisSessionStore store =
          RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build());
      RedisTokenRevocationService tokens =
          RedisTokenRevocationService.create(
              connector, RevocationConfig.builder().auditLogging(false).build(), store);
      return new Server(connector, commands, near, near.sessions(store), near.tokens(tokens));
    }

    @Override
    public void close() {
      tokens.close();
      sessions.close();
      near.close();
      connector.close();
    }
  }

  @BeforeAll
  static void start() {
    redis = RedisServers.standalone();
    redis.flushAll();
    a = Server.start(redis.uri(), NearCacheOptions.defaults());
    b = Server.start(redis.uri(), NearCacheOptions.defaults());
    assertThat(a.near().isSharded()).as("standalone: one plain channel").isFalse();
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
    redis.close();
  }

  /**
   * Polls {@code refused} on B until it holds, for at most the bound plus a margin (so that a
   * violation is measured, then reported by the assertion), and returns the delay in nanoseconds
   * from {@code returnedAt} to the start of the first call that refused: the moment B decided.
   */
  private static long delayUntil(BooleanSupplier refused, long returnedAt) {
    long giveUp = returnedAt + MAX_AGE.toNanos() + Duration.ofSeconds(2).toNanos();
    while (true) {
      long start = System.nanoTime();
      if (refused.getAsBoolean()) {
        return Math.max(0, start - returnedAt);
      }
      if (start > giveUp) {
        return Long.MAX_VALUE;
      }
      Thread.onSpinWait();
    }
  }

  private static String report(String what, long[] delays) {
    return report(what, "delay from revoke-returns-on-A to B-refuses", delays, MAX_AGE);
  }

  private static String report(String what, String measured, long[] delays, Duration bound) {
    long[] d = delays.clone();
    Arrays.sort(d);
    return String.format(
        Locale.ROOT,
        "%s: %d trials, %s: p50 %.3f ms, p99 %.3f ms, max %.3f ms (bound %d ms)",
        what,
        d.length,
        measured,
        d[d.length / 2] / 1e6,
        d[(int) Math.ceil(d.length * 0.99) - 1] / 1e6,
        d[d.length - 1] / 1e6,
        bound.toMillis());
  }

  private static void assertWithin(long[] delays, Duration bound) {
    long worst = Arrays.stream(delays).max().orElse(0);
    assertThat(worst)
        .as("the slowest of %d trials, in ns, against the bound %s", delays.length, bound)
        .isLessThanOrEqualTo(bound.toNanos());
  }

  @Test
  void aSessionDeletedOnOneServerIsRefusedByTheOtherWithinTheBound() {
    long[] delays = new long[TRIALS];
    for (int i = 0; i < TRIALS; i++) {
      Session s = a.sessions().login(null, "user-" + i).sessionOrThrow();
      String id = s.id();
      assertThat(b.sessions().access(id).isActive()).isTrue();
      long hits = b.sessions().hitCount();
      assertThat(b.sessions().access(id).isActive()).isTrue(); // now served from B's memory
      assertThat(b.sessions().hitCount()).isEqualTo(hits + 1);

      EndReason reason = i % 2 == 0 ? EndReason.LOGOUT : EndReason.REVOKED;
      a.sessions().delete(id, reason);
      long returnedAt = System.nanoTime();
      delays[i] = delayUntil(() -> !b.sessions().access(id).isActive(), returnedAt);
    }
    System.out.println(report("session delete", delays));
    assertWithin(delays, MAX_AGE);
  }

  @Test
  void allSessionsOfAUserRevokedOnOneServerAreRefusedByTheOtherWithinTheBound() {
    long[] delays = new long[TRIALS / 4];
    for (int i = 0; i < delays.length; i++) {
      String user = "all-" + i;
      String id = a.sessions().login(null, user).sessionOrThrow().id();
      b.sessions().access(id);
      assertThat(b.sessions().access(id).isActive()).isTrue();
      a.tokens().revokeAllForUser(user, null);
      long returnedAt = System.nanoTime();
      delays[i] = delayUntil(() -> !b.sessions().access(id).isActive(), returnedAt);
    }
    System.out.println(report("revokeAllForUser (sessions)", delays));
    assertWithin(delays, MAX_AGE);
  }

  @Test
  void aTokenRevokedOnOneServerIsRefusedByTheOtherWithinTheBound() {
    long[] delays = new long[TRIALS];
    Instant issued = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(5);
    for (int i = 0; i < TRIALS; i++) {
      TokenClaims t =
          new TokenClaims(
              UUID.randomUUID().toString(),
              "subject-" + i,
              issued,
              issued.plus(Duration.ofHours(1)));
      assertThat(b.tokens().check(t).isActive()).isTrue();
      long hits = b.tokens().hitCount();
      assertThat(b.tokens().check(t).isActive()).isTrue();
      assertThat(b.tokens().hitCount()).isEqualTo(hits + 1);

      a.tokens().revoke(t);
      long returnedAt = System.nanoTime();
      delays[i] = delayUntil(() -> !b.tokens().check(t).isActive(), returnedAt);
    }
    System.out.println(report("token revoke", delays));
    assertWithin(delays, MAX_AGE);
  }

  @Test
  void aCachedReadCostsNoRedisCommandAndAMissCostsOne() {
    String id = a.sessions().create(SessionChanges.builder().set("theme", "dark").build()).id();
    long before = b.commands().count();
    b.sessions().access(id);
    assertThat(b.commands().count() - before).isEqualTo(1);
    before = b.commands().count();
    for (int i = 0; i < 100; i++) {
      assertThat(b.sessions().access(id).session().orElseThrow().attribute("theme"))
          .contains("dark");
    }
    assertThat(b.commands().count() - before).isZero();

    Instant issued = Instant.now().minusSeconds(1);
    TokenClaims t =
        new TokenClaims("jti-" + UUID.randomUUID(), "bob", issued, issued.plusSeconds(3600));
    b.tokens().check(t);
    before = b.commands().count();
    for (int i = 0; i < 100; i++) {
      assertThat(b.tokens().check(t).isActive()).isTrue();
    }
    assertThat(b.commands().count() - before).isZero();
  }

  @Test
  void anUpdateIsSeenAtOnceByItsServerAndByTheOtherWithinTheBound() {
    String id = a.sessions().create(SessionChanges.builder().set("n", 1).build()).id();
    assertThat(b.sessions().access(id).session().orElseThrow().attribute("n")).contains(1);
    assertThat(a.sessions().access(id).session().orElseThrow().attribute("n")).contains(1);

    long before = a.commands().count();
    assertThat(a.sessions().update(id, SessionChanges.builder().set("n", 2).build())).isTrue();
    assertThat(a.commands().count() - before).as("update + publish").isEqualTo(2);
    before = a.commands().count();
    assertThat(a.sessions().access(id).session().orElseThrow().attribute("n")).contains(2);
    assertThat(a.commands().count() - before)
        .as("the writer's entry was patched, not dropped")
        .isZero();

    long returnedAt = System.nanoTime();
    long delay =
        delayUntil(
            () ->
                b.sessions()
                    .access(id)
                    .session()
                    .orElseThrow()
                    .attribute("n")
                    .filter(v -> v.equals(2))
                    .isPresent(),
            returnedAt);
    assertThat(delay).isLessThanOrEqualTo(MAX_AGE.toNanos());
  }

  @Test
  void theBoundHoldsEvenWhenEveryInvalidationIsLost() {
    Duration maxAge = Duration.ofMillis(200);
    // C listens on another channel: it never hears A; only the entries' maximum age protects it.
    try (Server c =
        Server.start(
            redis.uri(), NearCacheOptions.builder().maxAge(maxAge).channel("elsewhere").build())) {
      long[] delays = new long[20];
      for (int i = 0; i < delays.length; i++) {
        String id = a.sessions().login(null, "lost-" + i).sessionOrThrow().id();
        assertThat(c.sessions().access(id).isActive()).isTrue();
        long cachedAt = System.nanoTime(); // C's entry was read from Redis before this
        assertThat(c.sessions().access(id).isActive()).isTrue();
        a.sessions().delete(id, EndReason.REVOKED);
        // When did C last serve the dead session? Every call that started later than maxAge after
        // the read must refuse it.
        long lastServed = cachedAt;
        long giveUp = cachedAt + maxAge.toNanos() + Duration.ofSeconds(2).toNanos();
        while (true) {
          long start = System.nanoTime();
          if (!c.sessions().access(id).isActive() || start > giveUp) {
            break;
          }
          lastServed = start;
        }
        delays[i] = lastServed - cachedAt;
      }
      System.out.println(
          report(
              "session delete, every message lost",
              "time from C's read of the session to the last call C served it",
              delays,
              maxAge));
      assertWithin(delays, maxAge);
    }
  }

  @Test
  void garbageOnTheChannelIsIgnoredAndAForeignInvalidationDropsTheEntry() {
    // D keeps entries a minute: within this test, only a message can drop one.
    try (Server d =
        Server.start(
            redis.uri(), NearCacheOptions.builder().maxAge(Duration.ofMinutes(1)).build())) {
      String id = a.sessions().create().id();
      String marker = a.sessions().create().id();
      // D serves from memory only once its subscription is confirmed, which may come just after
      // start returns: wait until both sessions are served from D's memory.
      awaitHit(d, id);
      awaitHit(d, marker);
      String channel = d.near().channel();
      for (String garbage :
          new String[] {
            "",
            " ",
            "x",
            "node",
            "node ",
            "node s",
            "node z " + handleOf(id),
            "node s\r\n",
            "node u",
            "node t"
          }) {
        redis.call("PUBLISH", channel, garbage);
      }
      // Messages arrive in order: once the marker's invalidation (sent after the garbage) has
      // dropped
      // the marker, every garbage message has been handled.
      redis.call("PUBLISH", channel, "someOtherNode s " + handleOf(marker));
      awaitMiss(d, marker);
      long hits = d.sessions().hitCount();
      assertThat(d.sessions().access(id).isActive()).isTrue();
      assertThat(d.sessions().hitCount())
          .as("garbage dropped nothing: still served from memory")
          .isEqualTo(hits + 1);
      assertThat(d.near().isServing()).isTrue();

      redis.call("PUBLISH", channel, "someOtherNode s " + handleOf(id));
      awaitMiss(d, id);
    }
  }

  private static String handleOf(String id) {
    return Digests.handleOf(id);
  }

  /**
   * Accesses the session until an access is served from the cache (for at most 5 s), and asserts
   * one was.
   */
  private static void awaitHit(Server server, String id) {
    long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    long hits = server.sessions().hitCount();
    while (server.sessions().hitCount() == hits && System.nanoTime() < giveUp) {
      server.sessions().access(id);
    }
    assertThat(server.sessions().hitCount())
        .as("the session is served from the near cache")
        .isGreaterThan(hits);
  }

  /**
   * Accesses the session until an access misses the cache (for at most 5 s), and asserts one did.
   */
  private static void awaitMiss(Server server, String id) {
    long giveUp = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    long misses = server.sessions().missCount();
    while (server.sessions().missCount() == misses && System.nanoTime() < giveUp) {
      server.sessions().access(id);
    }
    assertThat(server.sessions().missCount())
        .as("the entry was dropped, so an access read Redis")
        .isGreaterThan(misses);
  }

  @Test
  void aMalformedIdNeverReachesRedisNorTheCache() {
    long before = b.commands().count();
    for (String bad : new String[] {"", "*", "{x}", "a:b", "x".repeat(46), "\r\n"}) {
      AccessResult r = b.sessions().access(bad);
      assertThat(r.isActive()).isFalse();
    }
    assertThat(b.commands().count() - before).isZero();
  }
}
