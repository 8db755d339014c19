package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.redis.internal.LuaScript;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a timed test (issue 11, item 3): one user holding 100,000 sessions (written
 * straight into Redis by a pipelined loader, as a cap lowered after the fact or a policy of {@link
 * LoginPolicy#unlimited()} could leave them), then every session script on that user, with {@code
 * SLOWLOG} recording every command ({@code slowlog-log-slower-than 0}). It prints the Redis time of
 * each script (max and mean, µs) and asserts only what bounds the work: how many sessions a call
 * evicts, lists or ends, and that sign-out everywhere ends all 100,000 in bounded steps.
 *
 * <p>Run alone: {@code mvn -pl session-redis -am verify -Dit.test=HugeUserSlowlogIT
 * -Dhuge.sessions=100000}. Figures are in session-redis/README.md.
 */
class HugeUserSlowlogIT {
  private static final int SESSIONS = Integer.getInteger("huge.sessions", 100_000);
  private static final String USER = "heavy-user";
  private static final Keys KEYS = new Keys(RedisOptions.DEFAULT_KEY_PREFIX);

  private static RedisServer redis;
  private static RedisConnector connector;
  private static final List<Session> own = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    redis = RedisServers.standalone();
    redis.flushAll();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      c.setAutoFlushCommands(false);
      RedisAsyncCommands<String, String> a = c.async();
      String tag = Digests.tagForUser(USER);
      String index = KEYS.userIndex(USER);
      String digest = Keys.userDigest(USER);
      SessionIdGenerator ids = SessionIdGenerator.defaults();
      long now = System.currentTimeMillis();
      List<RedisFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        String handle = Digests.handleOf(ids.newIdForUser(USER));
        String key = KEYS.session(tag, handle);
        long at = now - SESSIONS + i; // distinct ages, oldest first
        pending.add(
            a.hset(
                key,
                Map.of(
                    "c",
                    Long.toString(at),
                    "a",
                    Long.toString(at),
                    "u",
                    USER,
                    "k",
                    digest,
                    "n",
                    Long.toString(at))));
        pending.add(a.pexpire(key, 3_600_000));
        pending.add(a.zadd(index, at + 1_800_000, handle));
        if (pending.size() >= 3_000) {
          c.flushCommands();
          for (RedisFuture<?> f : pending) {
            f.get(30, TimeUnit.SECONDS);
          }
          pending.clear();
        }
      }
      c.flushCommands();
      for (RedisFuture<?> f : pending) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      client.shutdown();
    }
    assertThat(redis.call("ZCARD", KEYS.userIndex(USER))).isEqualTo((long) SESSIONS);
  }

  @AfterAll
  static void stop() {
    connector.close();
    redis.close();
  }

  private static RedisSessionStore store(LoginPolicy policy) {
    return RedisSessionStore.create(
        connector, SessionConfig.builder().loginPolicy(policy).auditLogging(false).build());
  }

  /** Per measured operation: script calls, their total and their slowest Redis time (µs). */
  private final Map<String, long[]> figures = new LinkedHashMap<>();

  private final Map<String, String> scriptOfSha = new HashMap<>();

  /**
   * Runs one operation with fresh statistics: the mean from {@code INFO commandstats} (EVALSHA
   * only), the slowest call from {@code SLOWLOG} (every command over 20 µs, so that the commands a
   * script runs inside do not crowd the log).
   */
  private <T> T measure(String what, Supplier<T> op) {
    redis.call("CONFIG", "RESETSTAT");
    redis.call("SLOWLOG", "RESET");
    T result = op.get();
    Map<String, String> stats = redis.info("commandstats");
    String evalsha = stats.getOrDefault("cmdstat_evalsha", "calls=0,usec=0,");
    long calls = Long.parseLong(evalsha.replaceAll("^calls=(\\d+),.*", "$1"));
    long usec = Long.parseLong(evalsha.replaceAll("^calls=\\d+,usec=(\\d+),.*", "$1"));
    long inner = 0;
    for (Map.Entry<String, String> e : stats.entrySet()) {
      String cmd = e.getKey();
      if (cmd.startsWith("cmdstat_")
          && !cmd.equals("cmdstat_evalsha")
          && !cmd.startsWith("cmdstat_config")
          && !cmd.startsWith("cmdstat_slowlog")
          && !cmd.startsWith("cmdstat_info")) {
        inner += Long.parseLong(e.getValue().replaceAll("^calls=(\\d+),.*", "$1"));
      }
    }
    long max = 0;
    Set<String> scripts = new TreeSet<>();
    for (Object entry : (List<?>) redis.call("SLOWLOG", "GET", "100000")) {
      List<?> e = (List<?>) entry;
      List<?> args = (List<?>) e.get(3);
      if (String.valueOf(args.get(0)).equalsIgnoreCase("EVALSHA")) {
        max = Math.max(max, (Long) e.get(2));
        scripts.add(scriptOfSha.getOrDefault(String.valueOf(args.get(1)), "?"));
      }
    }
    figures.put(what + " " + scripts, new long[] {calls, usec, max, inner});
    return result;
  }

  @Test
  void everyScriptOnAUserHolding100kSessionsDoesBoundedWork() {
    connector.io().preloadScripts();
    for (LuaScript s : LuaScript.values()) {
      scriptOfSha.put(s.sha(), s.toString());
    }
    redis.call("CONFIG", "SET", "slowlog-log-slower-than", "20");
    redis.call("CONFIG", "SET", "slowlog-max-len", "100000");

    RedisSessionStore capped = store(LoginPolicy.defaults());
    RedisSessionStore unlimited = store(LoginPolicy.unlimited());
    RedisSessionStore rejecting = store(LoginPolicy.maxSessionsPerUser(100, OnLimit.REJECT_NEW));

    LoginResult.Accepted first =
        (LoginResult.Accepted)
            measure("login, default cap (evicts)", () -> capped.login(null, USER));
    assertThat(first.evicted())
        .as("evictions of one login")
        .hasSize(RedisSessionStore.EVICTIONS_PER_LOGIN);
    assertThat(
            measure("login, REJECT_NEW at the limit", () -> rejecting.login(null, USER))
                .isAccepted())
        .isFalse();
    Session fresh = measure("login, unlimited", () -> unlimited.login(null, USER)).sessionOrThrow();
    Session anonymous = capped.create(SessionChanges.builder().set("cart", "book").build());
    Session carried =
        measure(
                "login from another slot, carrying 'cart'",
                () ->
                    capped.login(
                        anonymous.id(), USER, LoginOptions.builder().carryOnly("cart").build()))
            .sessionOrThrow();
    assertThat(carried.attribute("cart")).contains("book");
    measure("access", () -> capped.access(carried.id()));
    measure(
        "update",
        () -> capped.update(carried.id(), SessionChanges.builder().set("theme", "dark").build()));
    Session renewed = measure("renewId", () -> capped.renewId(carried.id())).orElseThrow();
    assertThat(measure("listForUser", () -> capped.listForUser(USER)))
        .hasSize(RedisSessionStore.MAX_LISTED);
    assertThat(
            measure(
                "deleteByHandle",
                () -> capped.deleteByHandle(USER, fresh.handle(), EndReason.REVOKED)))
        .isTrue();
    assertThat(measure("delete (logout)", () -> capped.delete(renewed.id(), EndReason.LOGOUT)))
        .isTrue();
    long left = (Long) redis.call("ZCARD", KEYS.userIndex(USER));
    int ended =
        measure(
            "deleteAllForUser", () -> capped.deleteAllForUser(USER, null, EndReason.ALL_REVOKED));
    assertThat(ended)
        .as("sessions ended by sign-out everywhere")
        .isGreaterThanOrEqualTo((int) left - 2);
    assertThat(redis.call("EXISTS", KEYS.userIndex(USER))).isEqualTo(0L);

    StringBuilder table =
        new StringBuilder(
            String.format(
                "%nHugeUserSlowlogIT: one user holding %,d sessions; Redis "
                    + "time of the scripts each operation ran (EVALSHA: calls, mean µs from INFO commandstats, max µs from "
                    + "SLOWLOG, then every other command counted by INFO commandstats: what the scripts ran inside, plus "
                    + "the plain reads of the operation; this count does not depend on the machine's load)%n",
                SESSIONS));
    long slowest = 0;
    for (Map.Entry<String, long[]> e : figures.entrySet()) {
      long[] f = e.getValue();
      table.append(
          String.format(
              "| %-70s | %6d | %8.1f | %6d | %7d |%n",
              e.getKey(), f[0], f[0] == 0 ? 0.0 : (double) f[1] / f[0], f[2], f[3]));
      slowest = Math.max(slowest, f[2]);
    }
    table.append(String.format("slowest single script call: %d µs%n", slowest));
    System.out.println(table);
    assertThat(figures).hasSize(11);
  }
}
