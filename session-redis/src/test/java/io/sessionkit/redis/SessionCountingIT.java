package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionCounting;
import io.sessionkit.core.SessionCounts;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.Timeouts;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.redis.RedisCluster;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The cluster-wide counts of {@link RedisOptions.Counting#EXACT}: two store instances (two servers,
 * each with its own connector) share one redis-server; after every step of a scenario (logins,
 * logouts, kick-outs, expiry, sign-out-everywhere, a refused login that puts a session back) both
 * read the same counts, and those equal the truth, found by presenting every id the test ever held;
 * the in-memory store, run through the same scenario, reads the same figures. The counting costs no
 * extra Redis command but on a logout by id of a signed-in session (one more).
 */
class SessionCountingIT {
  private static final Duration IDLE = Duration.ofMinutes(30);

  private static RedisServer redis;
  private static RedisConnector nodeA;
  private static RedisConnector nodeB;
  private static RedisConnector plain;
  private static final CommandCounter countedCommands = new CommandCounter();
  private static final CommandCounter plainCommands = new CommandCounter();

  private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-03-01T10:00:00Z"));

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.startLocal();
    RedisOptions counting =
        RedisOptions.fromUri(redis.uri()).toBuilder().counting(RedisOptions.Counting.EXACT).build();
    nodeA = RedisConnector.connect(counting, List.of(countedCommands));
    nodeB = RedisConnector.connect(counting);
    plain = RedisConnector.connect(RedisOptions.fromUri(redis.uri()), List.of(plainCommands));
  }

  @AfterAll
  static void stopRedis() {
    nodeA.close();
    nodeB.close();
    plain.close();
    redis.close();
  }

  @BeforeEach
  void flush() {
    redis.flushAll();
  }

  private SessionConfig config(LoginPolicy policy) {
    return SessionConfig.builder()
        .clock(clock)
        .auditLogging(false)
        .ttlPolicy(TtlPolicy.idle(IDLE))
        .loginPolicy(policy)
        .build();
  }

  /**
   * One deployment under test: two servers' stores (the same store twice in memory) and a service.
   */
  private record Nodes(
      SessionStore a,
      SessionStore b,
      SessionCounting countA,
      SessionCounting countB,
      TokenRevocationService tokens) {}

  private Nodes redisNodes(LoginPolicy policy) {
    return redisNodes(nodeA, nodeB, policy);
  }

  private Nodes redisNodes(RedisConnector x, RedisConnector y, LoginPolicy policy) {
    RedisSessionStore a = RedisSessionStore.create(x, config(policy));
    RedisSessionStore b = RedisSessionStore.create(y, config(policy));
    TokenRevocationService tokens =
        RedisTokenRevocationService.create(
            x, RevocationConfig.builder().clock(clock).auditLogging(false).build(), a);
    return new Nodes(a, b, a, b, tokens);
  }

  private Nodes memoryNodes(LoginPolicy policy) {
    InMemorySessionStore m = InMemorySessionStore.create(config(policy));
    return new Nodes(
        m,
        m,
        m,
        m,
        InMemoryTokenRevocationService.create(
            RevocationConfig.builder().clock(clock).auditLogging(false).build(), m));
  }

  /**
   * The truth: every id the test ever held, presented passively (which changes no count); then both
   * servers' counts must equal it.
   */
  private static SessionCounts agree(Nodes n, List<String> ids) {
    long live = 0;
    Set<String> users = new HashSet<>();
    for (String id : ids) {
      AccessResult r = n.a().access(id, AccessMode.PASSIVE);
      if (r.isActive()) {
        live++;
        r.session().orElseThrow().userId().ifPresent(users::add);
      }
    }
    SessionCounts a = n.countA().countSessions();
    SessionCounts b = n.countB().countSessions();
    assertThat(a.liveSessions()).as("live sessions read by server A").isEqualTo(live);
    assertThat(b.liveSessions()).as("live sessions read by server B").isEqualTo(live);
    assertThat(a.signedInUsers()).as("signed-in users read by server A").isEqualTo(users.size());
    assertThat(b.signedInUsers()).as("signed-in users read by server B").isEqualTo(users.size());
    return a;
  }

  /** The scenario; returns the counts after each step, to compare stores. */
  private List<SessionCounts> scenario(Nodes n) {
    List<String> ids = new ArrayList<>();
    List<SessionCounts> steps = new ArrayList<>();
    // anonymous visitors on both servers
    for (int i = 0; i < 3; i++) {
      ids.add(n.a().create().id());
    }
    for (int i = 0; i < 2; i++) {
      ids.add(n.b().create().id());
    }
    steps.add(agree(n, ids));
    // logins: one carrying an anonymous session over, others fresh
    ids.add(n.a().login(ids.get(0), "alice").sessionOrThrow().id());
    ids.add(n.b().login(null, "bob").sessionOrThrow().id());
    clock.advance(Duration.ofSeconds(1));
    ids.add(n.b().login(ids.get(3), "alice").sessionOrThrow().id());
    steps.add(agree(n, ids));
    // a third login of alice kicks the least recently active one out (limit 2)
    clock.advance(Duration.ofSeconds(1));
    ids.add(n.a().login(null, "alice").sessionOrThrow().id());
    steps.add(agree(n, ids));
    // bob signs out on the other server
    assertThat(n.a().delete(ids.get(6), EndReason.LOGOUT)).isTrue();
    steps.add(agree(n, ids));
    // a renewed id and a sign-out by handle
    Session renewed = n.b().renewId(ids.get(8)).orElseThrow();
    ids.add(renewed.id());
    String carol = n.a().login(null, "carol").sessionOrThrow().id();
    ids.add(carol);
    steps.add(agree(n, ids));
    assertThat(
            n.b()
                .deleteByHandle(
                    "carol",
                    n.a().access(carol).session().orElseThrow().handle(),
                    EndReason.REVOKED))
        .isTrue();
    steps.add(agree(n, ids));
    // time passes: sessions touched on the way live on, the others expire without any call
    clock.advance(Duration.ofMinutes(20));
    n.b().access(ids.get(1));
    n.a().access(renewed.id());
    n.b()
        .update(
            ids.get(4),
            SessionChanges.builder().timeouts(Timeouts.idle(Duration.ofHours(2))).build());
    clock.advance(Duration.ofMinutes(15));
    steps.add(agree(n, ids));
    // alice (fresh logins) signs out everywhere, from a token service on server A
    ids.add(n.b().login(null, "alice").sessionOrThrow().id());
    ids.add(n.a().login(null, "dave").sessionOrThrow().id());
    steps.add(agree(n, ids));
    n.tokens().revokeAllForUser("alice", null);
    steps.add(agree(n, ids));
    // everything left expires
    clock.advance(Duration.ofHours(3));
    steps.add(agree(n, ids));
    return steps;
  }

  @Test
  void bothServersReadTheTruthAfterEveryStepAndSoDoesTheInMemoryStore() {
    bothServersReadTheTruth(this::redisNodes);
  }

  private void bothServersReadTheTruth(Function<LoginPolicy, Nodes> redisNodes) {
    List<SessionCounts> onRedis =
        scenario(redisNodes.apply(LoginPolicy.maxSessionsPerUser(2, OnLimit.EVICT_OLDEST)));
    clock.set(Instant.parse("2026-03-01T10:00:00Z"));
    List<SessionCounts> inMemory =
        scenario(memoryNodes(LoginPolicy.maxSessionsPerUser(2, OnLimit.EVICT_OLDEST)));
    assertThat(onRedis)
        .extracting(SessionCounts::liveSessions)
        .containsExactly(5L, 6L, 6L, 5L, 6L, 5L, 3L, 5L, 3L, 0L)
        .isEqualTo(inMemory.stream().map(SessionCounts::liveSessions).toList());
    assertThat(onRedis)
        .extracting(SessionCounts::signedInUsers)
        .isEqualTo(inMemory.stream().map(SessionCounts::signedInUsers).toList());
  }

  /**
   * Touches move a session's expiry but not its user's index entry: the user counts until the
   * latest true expiry of its sessions (a touched older session outliving a newer untouched one),
   * and a logout by id, which knows no index, still takes the user out of the count at once.
   */
  @Test
  void aUserCountsUntilItsLastTouchedSessionExpiresAndNotAfterItsLogout() {
    aUserCountsUntilItsLastSessionEnds(this::redisNodes);
  }

  private void aUserCountsUntilItsLastSessionEnds(Function<LoginPolicy, Nodes> redisNodes) {
    Nodes n = redisNodes.apply(LoginPolicy.unlimited());
    List<String> ids = new ArrayList<>();
    String first = n.a().login(null, "gina").sessionOrThrow().id();
    ids.add(first);
    clock.advance(Duration.ofMinutes(1));
    ids.add(n.b().login(null, "gina").sessionOrThrow().id());
    clock.advance(Duration.ofMinutes(20));
    assertThat(n.b().access(first).isActive()).isTrue(); // now lives until minute 51
    clock.advance(Duration.ofMinutes(14)); // the second one expired at minute 31
    assertThat(agree(n, ids).signedInUsers()).isEqualTo(1);
    assertThat(n.a().delete(first, EndReason.LOGOUT)).isTrue();
    SessionCounts after = agree(n, ids);
    assertThat(after.liveSessions()).isZero();
    assertThat(after.signedInUsers()).isZero();
  }

  @Test
  void aRefusedLoginThatPutsTheSessionBackChangesNoCount() {
    aRefusedLoginChangesNoCount(this::redisNodes);
  }

  private void aRefusedLoginChangesNoCount(Function<LoginPolicy, Nodes> redisNodes) {
    Nodes n = redisNodes.apply(LoginPolicy.maxSessionsPerUser(1, OnLimit.REJECT_NEW));
    List<String> ids = new ArrayList<>();
    ids.add(n.a().login(null, "erin").sessionOrThrow().id());
    // anonymous sessions in many slots: refused logins leave them where they are
    for (int i = 0; i < 8; i++) {
      String anon = n.b().create().id();
      ids.add(anon);
      assertThat(n.a().login(anon, "erin").isAccepted()).isFalse();
    }
    SessionCounts c = agree(n, ids);
    assertThat(c.liveSessions()).isEqualTo(9);
    assertThat(c.signedInUsers()).isEqualTo(1);
  }

  @Test
  void countingCostsOneMoreCommandOnlyForALogoutByIdOfASignedInSession() {
    SessionStore counted =
        RedisSessionStore.create(
            nodeA, config(LoginPolicy.maxSessionsPerUser(2, OnLimit.EVICT_OLDEST)));
    SessionStore uncounted =
        RedisSessionStore.create(
            plain, config(LoginPolicy.maxSessionsPerUser(2, OnLimit.EVICT_OLDEST)));
    for (SessionStore s : List.of(counted, uncounted)) {
      s.create(); // loads nothing new, but keeps both stores' first calls alike
    }
    List<Long> withCounting = costs(counted, countedCommands);
    List<Long> without = costs(uncounted, plainCommands);
    // deleteAllForUser: a first step names the sessions, a second one ends them (bounded steps).
    // The access two minutes on touches the session: a plain HGETALL, then the touch script.
    assertThat(without).containsExactly(1L, 2L, 1L, 1L, 1L, 1L, 1L, 2L, 1L);
    // A logout by id does not know the user's index; with counting the script asks for it (-3) so
    // that the user's count is recomputed exactly: one more command for a signed-in session only.
    assertThat(withCounting).containsExactly(1L, 2L, 1L, 1L, 1L, 1L, 2L, 2L, 1L);
  }

  /** The commands of one run of each operation. */
  private List<Long> costs(SessionStore store, CommandCounter commands) {
    List<Long> out = new ArrayList<>();
    Supplier<Long> mark = commands::count;
    long before = mark.get();
    Session s = store.create();
    out.add(mark.get() - before);
    clock.advance(Duration.ofMinutes(2));
    before = mark.get();
    store.access(s.id());
    out.add(mark.get() - before);
    before = mark.get();
    store.update(s.id(), SessionChanges.builder().set("a", 1).build());
    out.add(mark.get() - before);
    before = mark.get();
    store.login(null, "frank").sessionOrThrow();
    out.add(mark.get() - before);
    before = mark.get();
    store.login(null, "frank");
    Session live = store.login(null, "frank").sessionOrThrow(); // kicks u out
    out.add((mark.get() - before) / 2);
    before = mark.get();
    store.renewId(s.id());
    out.add(mark.get() - before);
    before = mark.get();
    store.delete(live.id(), EndReason.LOGOUT); // a live signed-in session (u was kicked out)
    out.add(mark.get() - before);
    before = mark.get();
    store.deleteAllForUser("frank", null, EndReason.ALL_REVOKED);
    out.add(mark.get() - before);
    before = mark.get();
    store.listForUser("frank");
    out.add(mark.get() - before);
    return out;
  }

  @Test
  void countingCostsAFewDozenBytesPerSession() {
    int sessions = 10_000;
    long[] perSession = new long[2];
    RedisConnector[] connectors = {plain, nodeA};
    for (int c = 0; c < 2; c++) {
      redis.flushAll();
      RedisSessionStore store =
          RedisSessionStore.create(connectors[c], config(LoginPolicy.unlimited()));
      long before = Long.parseLong(redis.info("memory").get("used_memory"));
      for (int i = 0; i < sessions; i++) {
        store.login(null, "user-" + (i % 2_000));
      }
      perSession[c] = (Long.parseLong(redis.info("memory").get("used_memory")) - before) / sessions;
    }
    long extra = perSession[1] - perSession[0];
    System.out.printf(
        "SessionCountingIT: %d bytes per signed-in session without counting, %d with (+%d), "
            + "10,000 sessions of 2,000 users over 4,096 slots%n",
        perSession[0], perSession[1], extra);
    assertThat(extra).isPositive().isLessThanOrEqualTo(150);
  }

  @Test
  void withoutCountingTheCountsAreRefusedAndNoCountKeyIsWritten() {
    RedisSessionStore store = RedisSessionStore.create(plain, config(LoginPolicy.unlimited()));
    store.login(store.create().id(), "gina");
    assertThatThrownBy(store::countSessions)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("counting(RedisOptions.Counting.EXACT)");
    assertThat(redis.call("DBSIZE")).isEqualTo(2L); // the session and the user's index
  }

  /**
   * The same scenarios on a 3-master Redis Cluster, where the counts are read with pipelined {@code
   * ZCOUNT}s on every master instead of one script, and the two servers' sessions spread over all
   * masters.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnACluster {
    private RedisCluster cluster;
    private RedisConnector clusterA;
    private RedisConnector clusterB;

    @BeforeAll
    void startCluster() {
      cluster = RedisServers.cluster(3);
      RedisOptions counting =
          RedisOptions.cluster(cluster.seedUris()).toBuilder()
              .counting(RedisOptions.Counting.EXACT)
              .build();
      clusterA = RedisConnector.connect(counting);
      clusterB = RedisConnector.connect(counting);
    }

    @AfterAll
    void stopCluster() {
      clusterA.close();
      clusterB.close();
      cluster.close();
    }

    @BeforeEach
    void flushCluster() {
      cluster.flushAll();
    }

    private Nodes nodes(LoginPolicy policy) {
      return redisNodes(clusterA, clusterB, policy);
    }

    @Test
    void bothServersReadTheTruthAfterEveryStepAndSoDoesTheInMemoryStore() {
      bothServersReadTheTruth(this::nodes);
    }

    @Test
    void aUserCountsUntilItsLastTouchedSessionExpiresAndNotAfterItsLogout() {
      aUserCountsUntilItsLastSessionEnds(this::nodes);
    }

    @Test
    void aRefusedLoginThatPutsTheSessionBackChangesNoCount() {
      aRefusedLoginChangesNoCount(this::nodes);
    }
  }
}
