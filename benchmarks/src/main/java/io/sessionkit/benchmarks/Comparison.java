package io.sessionkit.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The load comparison: one {@code redis-server} on a free port, then, one after another, five
 * minimal Jetty apps with the same endpoints ({@link App.Kind}), each loaded the same way (wrk when
 * installed, otherwise {@link HttpLoad}; 32 connections; a warm-up, then a fixed duration) and
 * measured in the same run: requests per second, p50 and p99 latency, Redis commands per request
 * (counted with MONITOR, cross-checked with {@code INFO commandstats} deltas), Redis bytes per
 * session. Prints the table and writes it to {@code benchmarks/results/comparison-<date>.md} and
 * {@code .csv}.
 *
 * <p>All six apps run at once (idle but for the one under load), and each endpoint is measured in
 * {@code rounds} that take the apps in turn, so that a change in what else runs on the machine
 * weighs on every app alike; throughput adds the rounds up, p50 is the median of the rounds' p50s
 * and p99 the worst round's p99.
 *
 * <p>Options ({@code --name value}): {@code warmup} seconds before an app's first round (4), {@code
 * round-warmup} seconds before its later rounds (1), {@code rounds} (3), {@code duration} seconds
 * measured per endpoint and app, over all rounds (12), {@code connections} (32), {@code loadgen}
 * auto|wrk|java (auto), {@code apps} letters (abcdef), {@code endpoints} (/login,/read,/write),
 * {@code out} directory (benchmarks/results), {@code count} requests per endpoint for the command
 * count (200), {@code sessions} logins for the memory measure (1000).
 */
public final class Comparison {
  static final String[] ENDPOINTS = {"/login", "/read", "/write"};

  /**
   * {@code -Dsessionkit.bench.dumpMonitor=true} prints every command counted, to see where they go.
   */
  private static final boolean DUMP_MONITOR = Boolean.getBoolean("sessionkit.bench.dumpMonitor");

  private Comparison() {}

  /** What the rounds of one app and endpoint add up to. */
  static final class Totals {
    private long requests;
    private long errors;
    private double seconds;
    private final List<Long> p50s = new ArrayList<>();
    private final List<Long> p99s = new ArrayList<>();
    long jvmNanos;
    double redisSeconds;

    void add(HttpLoad.Result r, CpuMeter cpu) {
      requests += r.requests();
      errors += r.errors();
      seconds += r.seconds();
      p50s.add(r.p50Micros());
      p99s.add(r.p99Micros());
      jvmNanos += cpu.jvmNanos;
      redisSeconds += cpu.redisSeconds;
    }

    /**
     * Throughput over all rounds; p50 the median of the rounds' p50s, p99 the worst round's p99.
     */
    HttpLoad.Result result() {
      List<Long> p50 = new ArrayList<>(p50s);
      Collections.sort(p50);
      return new HttpLoad.Result(
          requests, errors, seconds, p50.get((p50.size() - 1) / 2), Collections.max(p99s));
    }
  }

  /** One measured cell of the table. */
  record Row(
      App.Kind app,
      String endpoint,
      HttpLoad.Result load,
      double commandsPerRequest,
      double callsPerRequestWithScripts,
      double jvmCpuMicrosPerRequest,
      double redisCpuMicrosPerRequest) {}

  /**
   * CPU used during the measured window: this JVM's (the app, Lettuce, and the Java load generator
   * when wrk is not used) and redis-server's ({@code INFO cpu}).
   */
  static final class CpuMeter implements Load.Window {
    private final RedisAdmin admin;
    private final OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long jvmStart;
    private double redisStart;
    long jvmNanos;
    double redisSeconds;

    CpuMeter(RedisAdmin admin) {
      this.admin = admin;
    }

    private double redisCpu() throws IOException {
      double total = 0;
      for (String line : String.valueOf(admin.call("INFO", "cpu")).split("\r\n")) {
        if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
          total += Double.parseDouble(line.substring(line.indexOf(':') + 1));
        }
      }
      return total;
    }

    @Override
    public void start() throws IOException {
      jvmStart = os.getProcessCpuTime();
      redisStart = redisCpu();
    }

    @Override
    public void end() throws IOException {
      jvmNanos = os.getProcessCpuTime() - jvmStart;
      redisSeconds = redisCpu() - redisStart;
    }
  }

  /**
   * Runs the comparison.
   *
   * @param args options, see the class comment
   * @throws Exception if anything fails: the run is then not worth a table
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    double warmup = Double.parseDouble(o.getOrDefault("warmup", "4"));
    double duration = Double.parseDouble(o.getOrDefault("duration", "12"));
    int connections = Integer.parseInt(o.getOrDefault("connections", "32"));
    int count = Integer.parseInt(o.getOrDefault("count", "200"));
    int sessions = Integer.parseInt(o.getOrDefault("sessions", "1000"));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
    double roundWarmup = Double.parseDouble(o.getOrDefault("round-warmup", "1"));
    String apps = o.getOrDefault("apps", "abcdef");
    List<String> endpoints =
        List.of(o.getOrDefault("endpoints", String.join(",", ENDPOINTS)).split(","));
    Path out = Paths.get(o.getOrDefault("out", "benchmarks/results"));
    Load load = Load.choose(o.getOrDefault("loadgen", "auto"));
    if (warmup < 0
        || duration <= 0
        || duration > 600
        || warmup > 600
        || connections < 1
        || connections > 1024
        || count < 1
        || count > 100_000
        || sessions < 1
        || sessions > 1_000_000
        || rounds < 1
        || rounds > 20
        || roundWarmup < 0
        || roundWarmup > 60) {
      throw new IllegalArgumentException("out of range: " + o);
    }

    List<Row> rows = new ArrayList<>();
    Map<App.Kind, double[]> bytes = new EnumMap<>(App.Kind.class);
    String started = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).toString();
    System.out.printf(
        Locale.ROOT,
        "SessionKit load comparison: %s, %d connections, %.0f s warm-up, then %.0f s per "
            + "endpoint measured in %d rounds that interleave the apps%n",
        load.describe(),
        connections,
        warmup,
        duration,
        rounds);
    try (RedisServer redis = RedisServers.startLocal();
        RedisAdmin admin = new RedisAdmin(redis.host(), redis.port())) {
      System.out.println("redis-server " + redisVersion(admin) + " on port " + redis.port());
      List<App> running = new ArrayList<>();
      try {
        for (App.Kind kind : App.Kind.values()) {
          if (apps.indexOf(kind.letter.charAt(0)) >= 0) {
            App app = App.start(kind, redis.host(), redis.port());
            running.add(app);
            System.out.printf(
                Locale.ROOT, "(%s) %s on port %d%n", kind.letter, kind.label, app.port());
          }
        }
        for (String endpoint : endpoints) {
          Map<App, List<@Nullable String>> cookies = new LinkedHashMap<>();
          Map<App, Totals> totals = new LinkedHashMap<>();
          for (App app : running) {
            cookies.put(app, cookiesFor(app, endpoint, connections));
            totals.put(app, new Totals());
          }
          // Rounds interleave the apps, so that a change in what else runs on the machine weighs on
          // all alike.
          for (int round = 0; round < rounds; round++) {
            for (App app : running) {
              CpuMeter cpu = new CpuMeter(admin);
              HttpLoad.Result r =
                  load.run(
                      app.port(),
                      endpoint,
                      cookies.get(app),
                      expectedBody(endpoint),
                      round == 0 ? warmup : roundWarmup,
                      duration / rounds,
                      cpu);
              totals.get(app).add(r, cpu);
              System.out.printf(
                  Locale.ROOT,
                  "    round %d (%s) %-6s %9.0f req/s%n",
                  round + 1,
                  app.kind().letter,
                  endpoint,
                  r.requestsPerSecond());
            }
          }
          for (App app : running) {
            Totals t = totals.get(app);
            App.Kind kind = app.kind();
            double[] cmds =
                kind.usesRedis() ? countCommands(admin, app, endpoint, count) : new double[] {0, 0};
            HttpLoad.Result r = t.result();
            long n = Math.max(1, r.requests());
            Row row =
                new Row(
                    kind,
                    endpoint,
                    r,
                    cmds[0],
                    cmds[1],
                    t.jvmNanos / 1e3 / n,
                    t.redisSeconds * 1e6 / n);
            rows.add(row);
            System.out.printf(
                Locale.ROOT,
                "(%s) %-6s %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms  %5.2f cmd/req"
                    + " (%5.2f with Lua calls)  CPU/req: JVM %6.1f us, Redis %5.1f us  errors %d%n",
                kind.letter,
                endpoint,
                r.requestsPerSecond(),
                r.p50Micros() / 1000.0,
                r.p99Micros() / 1000.0,
                cmds[0],
                cmds[1],
                row.jvmCpuMicrosPerRequest(),
                row.redisCpuMicrosPerRequest(),
                r.errors());
          }
        }
        for (App app : running) {
          if (app.kind().hasSessions()) {
            awaitQuiet(admin);
            admin.call("FLUSHALL");
            bytes.put(app.kind(), bytesPerSession(admin, app, sessions));
            System.out.printf(
                Locale.ROOT,
                "(%s) %.0f bytes per session (%.1f keys)%n",
                app.kind().letter,
                bytes.get(app.kind())[0],
                bytes.get(app.kind())[1]);
          }
        }
      } finally {
        for (App app : running) {
          app.close();
        }
      }
    }
    Report report =
        new Report(rows, bytes, load.describe(), connections, warmup, duration, rounds, started);
    String md = report.markdown();
    System.out.println();
    System.out.println(md);
    Files.createDirectories(out);
    String date = LocalDate.now(ZoneOffset.UTC).toString();
    Files.writeString(out.resolve("comparison-" + date + ".md"), md, StandardCharsets.UTF_8);
    Files.writeString(
        out.resolve("comparison-" + date + ".csv"), report.csv(), StandardCharsets.UTF_8);
    System.out.println("written to " + out.resolve("comparison-" + date + ".md") + " and .csv");
  }

  static String expectedBody(String endpoint) {
    return endpoint.equals("/read") ? Endpoints.READ_BODY : Endpoints.OK_BODY;
  }

  /** One session per connection for /read and /write (logged in first); none for /login. */
  private static List<@Nullable String> cookiesFor(App app, String endpoint, int connections)
      throws IOException {
    List<@Nullable String> cookies = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      cookies.add(endpoint.equals("/login") || !app.kind().hasSessions() ? null : login(app));
    }
    return cookies;
  }

  private static String login(App app) throws IOException {
    try (HttpLoad.Connection c = new HttpLoad.Connection(app.port())) {
      HttpLoad.Response r = c.get("/login", null);
      if (r.status() != 200 || r.cookie() == null) {
        throw new IOException(
            "("
                + app.kind().letter
                + ") /login answered "
                + r.status()
                + " without a session cookie");
      }
      return r.cookie();
    }
  }

  /**
   * Counts the Redis commands that {@code count} sequential requests send: MONITOR lines from
   * clients (top-level commands) and, from {@code INFO commandstats} deltas, every call including
   * those a Lua script makes.
   *
   * @return {top-level commands per request, calls per request including scripts' calls}
   */
  static double[] countCommands(RedisAdmin admin, App app, String endpoint, int count)
      throws IOException {
    awaitQuiet(admin);
    String cookie = endpoint.equals("/login") || !app.kind().hasSessions() ? null : login(app);
    try (HttpLoad.Connection http = new HttpLoad.Connection(app.port());
        RedisAdmin monitor = new RedisAdmin("127.0.0.1", admin.port())) {
      Map<String, Long> before = admin.commandCalls();
      monitor.write("MONITOR");
      monitor.readLine();
      for (int i = 0; i < count; i++) {
        HttpLoad.Response r = http.get(endpoint, cookie);
        if (r.status() != 200) {
          throw new IOException(
              "(" + app.kind().letter + ") " + endpoint + " answered " + r.status());
        }
      }
      String marker = "sessionkit-bench-marker-" + System.nanoTime();
      admin.call("ECHO", marker);
      long top = 0;
      long lua = 0;
      while (true) {
        String line = monitor.readLine();
        if (line.contains(marker)) {
          break;
        }
        if (DUMP_MONITOR) {
          System.out.println("      MONITOR " + line.substring(0, Math.min(line.length(), 160)));
        }
        if (line.contains(" lua] ")) {
          lua++;
        } else {
          top++;
        }
      }
      Map<String, Long> after = admin.commandCalls();
      long calls = 0;
      Set<String> ours = Set.of("info", "monitor", "echo");
      for (Map.Entry<String, Long> e : after.entrySet()) {
        if (!ours.contains(e.getKey())) {
          calls += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
      }
      if (calls != top + lua) {
        System.out.printf(
            Locale.ROOT,
            "    note: commandstats counted %d calls, MONITOR %d + %d from Lua%n",
            calls,
            top,
            lua);
      }
      return new double[] {top / (double) count, calls / (double) count};
    }
  }

  /**
   * Waits until the app has finished the requests the load left in flight (the load generator stops
   * sending, but the server still answers what it had queued): until Redis has seen no command for
   * 300 ms, at most 30 s.
   */
  static void awaitQuiet(RedisAdmin admin) throws IOException {
    long giveUp = System.nanoTime() + 30_000_000_000L;
    long last = -1;
    while (System.nanoTime() < giveUp) {
      long total = 0;
      for (Map.Entry<String, Long> e : admin.commandCalls().entrySet()) {
        if (!e.getKey().equals("info")) {
          total += e.getValue();
        }
      }
      if (total == last) {
        return;
      }
      last = total;
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /**
   * Logs {@code n} sessions in and sums the memory of every key. @return {bytes, keys} per session
   */
  static double[] bytesPerSession(RedisAdmin admin, App app, int n) throws IOException {
    try (HttpLoad.Connection http = new HttpLoad.Connection(app.port())) {
      for (int i = 0; i < n; i++) {
        HttpLoad.Response r = http.get("/login", null);
        if (r.status() != 200) {
          throw new IOException("(" + app.kind().letter + ") /login answered " + r.status());
        }
      }
    }
    long[] m = admin.memoryOfAllKeys();
    return new double[] {m[0] / (double) n, m[1] / (double) n};
  }

  private static String redisVersion(RedisAdmin admin) throws IOException {
    for (String line : String.valueOf(admin.call("INFO", "server")).split("\r\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length());
      }
    }
    return "?";
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "expected --name value pairs, got " + String.join(" ", args));
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return Collections.unmodifiableMap(o);
  }
}
