package io.sessionkit.benchmarks;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Redis CPU per store operation, for capacity planning: one {@code redis-server} of its own, one
 * client calling {@link RedisSessionStore} in a loop, and {@code redis-server}'s CPU time ({@code
 * INFO cpu}, user + sys, so request parsing and socket I/O count) divided by the calls. Sessions
 * are signed in with 4 small attributes, as in the load comparison. Also the Redis memory per
 * signed-in session ({@code MEMORY USAGE} of every key). Run: {@code java -cp
 * benchmarks/target/benchmarks.jar io.sessionkit.benchmarks.RedisCost [calls]}.
 */
public final class RedisCost {
  private RedisCost() {}

  /**
   * Prints the table.
   *
   * @param args optional: calls per operation (default 20,000)
   * @throws Exception if Redis fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    MutableClock clock = MutableClock.startingNow();
    try (RedisServer redis = RedisServers.startLocal();
        RedisAdmin admin = new RedisAdmin(redis.host(), redis.port());
        RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
        RedisSessionStore store =
            RedisSessionStore.create(
                connector, SessionConfig.builder().clock(clock).auditLogging(false).build())) {
      List<String> ids = new ArrayList<>();
      double login =
          measure(
              admin,
              n,
              i -> {
                Session s = store.login(null, "user-" + i).sessionOrThrow();
                store.update(
                    s.id(),
                    SessionChanges.builder()
                        .set("a1", "value-1")
                        .set("a2", "value-2")
                        .set("a3", 3)
                        .set("a4", "en-GB")
                        .build());
                ids.add(s.id());
              });
      long[] mem = admin.memoryOfAllKeys();
      // The loop above is login + update: measure update alone to split them.
      double update =
          measure(
              admin,
              n,
              i ->
                  store.update(
                      ids.get(i), SessionChanges.builder().set("a2", "value-" + i).build()));
      double read = measure(admin, n, i -> store.access(ids.get(i)));
      clock.advance(Duration.ofSeconds(61));
      double touch = measure(admin, n, i -> store.access(ids.get(i)));
      double logout = measure(admin, n, i -> store.delete(ids.get(i), EndReason.LOGOUT));
      double ended = measure(admin, n, i -> store.access(ids.get(i)));
      System.out.printf(
          Locale.ROOT,
          "redis-server %s, %d calls per operation, one client, Redis CPU (user+sys) per"
              + " call:%n",
          version(admin),
          n);
      System.out.printf(Locale.ROOT, "  access, no touch due (HGETALL)       %6.1f us%n", read);
      System.out.printf(Locale.ROOT, "  access, touch due (HGETALL + script) %6.1f us%n", touch);
      System.out.printf(Locale.ROOT, "  update, one attribute (script)       %6.1f us%n", update);
      System.out.printf(
          Locale.ROOT, "  login (script)                       %6.1f us%n", login - update);
      System.out.printf(Locale.ROOT, "  logout (script)                      %6.1f us%n", logout);
      System.out.printf(Locale.ROOT, "  access, ended (HGETALL + GET)        %6.1f us%n", ended);
      System.out.printf(
          Locale.ROOT,
          "memory: %.0f bytes per signed-in session with 4 attributes (%.1f keys)%n",
          mem[0] / (double) n,
          mem[1] / (double) n);
      for (Map.Entry<String, String> e : admin.commandStats().entrySet()) {
        System.out.printf(Locale.ROOT, "  commandstats %-10s %s%n", e.getKey(), e.getValue());
      }
    }
  }

  private interface Op {
    void run(int i) throws Exception;
  }

  /**
   * @return redis-server's CPU microseconds per call of {@code op}
   */
  private static double measure(RedisAdmin admin, int n, Op op) throws Exception {
    double before = cpu(admin);
    for (int i = 0; i < n; i++) {
      op.run(i);
    }
    return (cpu(admin) - before) * 1e6 / n;
  }

  private static double cpu(RedisAdmin admin) throws IOException {
    double total = 0;
    for (String line : String.valueOf(admin.call("INFO", "cpu")).split("\r\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1));
      }
    }
    return total;
  }

  private static String version(RedisAdmin admin) throws IOException {
    for (String line : String.valueOf(admin.call("INFO", "server")).split("\r\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length());
      }
    }
    return "?";
  }
}
