package io.sessionkit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The comparison's table, as Markdown (with the targets of issue 6 checked) and as CSV. */
final class Report {
  private final List<Comparison.Row> rows;
  private final Map<App.Kind, double[]> bytes;
  private final String loadgen;
  private final int connections;
  private final double warmup;
  private final double duration;
  private final int rounds;
  private final String started;

  Report(
      List<Comparison.Row> rows,
      Map<App.Kind, double[]> bytes,
      String loadgen,
      int connections,
      double warmup,
      double duration,
      int rounds,
      String started) {
    this.rounds = rounds;
    this.rows = rows;
    this.bytes = bytes;
    this.loadgen = loadgen;
    this.connections = connections;
    this.warmup = warmup;
    this.duration = duration;
    this.started = started;
  }

  private Optional<Comparison.Row> row(App.Kind kind, String endpoint) {
    return rows.stream().filter(r -> r.app() == kind && r.endpoint().equals(endpoint)).findFirst();
  }

  private String ratio(Comparison.Row r, App.Kind against) {
    return row(against, r.endpoint())
        .map(
            o ->
                String.format(
                    Locale.ROOT,
                    "%.2fx",
                    r.load().requestsPerSecond() / o.load().requestsPerSecond()))
        .orElse("n/a");
  }

  private String cpuRatio(Comparison.Row r, App.Kind against) {
    return row(against, r.endpoint())
        .filter(o -> o.redisCpuMicrosPerRequest() > 0)
        .map(
            o ->
                String.format(
                    Locale.ROOT,
                    "%.2fx",
                    r.redisCpuMicrosPerRequest() / o.redisCpuMicrosPerRequest()))
        .orElse("n/a");
  }

  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# SessionKit load comparison\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Run %s on %d cores (%s, %s), Java %s; one redis-server on 127.0.0.1"
                + " shared by the six Jetty 12 apps (in one JVM); %d connections; %.0f s warm-up, then %.0f s measured per"
                + " endpoint and app, in %d rounds that take the apps in turn (throughput over all rounds, p50 the median"
                + " round's, p99 the worst round's).%n%n",
            started,
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"),
            System.getProperty("os.arch"),
            System.getProperty("java.version"),
            connections,
            warmup,
            duration,
            rounds));
    b.append("Load generator: ").append(loadgen).append(".\n\n");
    b.append(
        "| app | endpoint | req/s | p50 ms | p99 ms | Redis cmds/req | incl. Lua calls | JVM CPU µs/req "
            + "| Redis CPU µs/req | errors | vs (a) | vs (d) | vs (e) | req/s vs (f) | Redis CPU vs (f) |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Comparison.Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| (%s) %s | `%s` | %.0f | %.2f | %.2f | %s | %s | %.0f | %.1f | %d | %s | %s | %s | %s | %s |%n",
              r.app().letter,
              r.app().label,
              r.endpoint(),
              r.load().requestsPerSecond(),
              r.load().p50Micros() / 1000.0,
              r.load().p99Micros() / 1000.0,
              r.app().usesRedis() ? fmt(r.commandsPerRequest()) : "0",
              r.app().usesRedis() ? fmt(r.callsPerRequestWithScripts()) : "0",
              r.jvmCpuMicrosPerRequest(),
              r.redisCpuMicrosPerRequest(),
              r.load().errors(),
              ratio(r, App.Kind.NO_SESSION),
              ratio(r, App.Kind.SPRING_REDIS),
              ratio(r, App.Kind.SPRING_INDEXED),
              ratio(r, App.Kind.PLAIN_HGETALL),
              cpuRatio(r, App.Kind.PLAIN_HGETALL)));
    }
    b.append(
        "\n| app | Redis bytes per session | keys per session | vs (e) |\n|---|---:|---:|---:|\n");
    double[] e = bytes.get(App.Kind.SPRING_INDEXED);
    for (Map.Entry<App.Kind, double[]> m : bytes.entrySet()) {
      b.append(
          String.format(
              Locale.ROOT,
              "| (%s) %s | %.0f | %.1f | %s |%n",
              m.getKey().letter,
              m.getKey().label,
              m.getValue()[0],
              m.getValue()[1],
              e == null ? "n/a" : String.format(Locale.ROOT, "%.2f", m.getValue()[0] / e[0])));
    }
    b.append("\n").append(targets());
    b.append(
        "\nJVM CPU µs/req: CPU time of the JVM that runs the app (and the Java load generator when wrk is "
            + "not used) over the measured window, divided by the requests; Redis CPU µs/req: the same for redis-server "
            + "(`INFO cpu`). On a machine whose cores are shared by the load generator, the app and Redis, throughput "
            + "follows the CPU each request costs.\n");
    b.append(
        "\nRedis cmds/req: top-level commands the app sent, counted with MONITOR over sequential requests "
            + "(after the timed run). incl. Lua calls: `INFO commandstats` deltas over the same requests, which also count "
            + "the commands a Lua script runs inside Redis. Bytes per session: `MEMORY USAGE` of every key, summed, after "
            + "logging in sessions through `/login`, divided by their number.\n");
    return b.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private String targets() {
    List<String[]> t = new ArrayList<>();
    App.Kind a = App.Kind.NO_SESSION;
    App.Kind sk = App.Kind.SESSIONKIT;
    App.Kind nc = App.Kind.SESSIONKIT_NEAR_CACHE;
    App.Kind d = App.Kind.SPRING_REDIS;
    App.Kind e = App.Kind.SPRING_INDEXED;
    row(sk, "/read")
        .ifPresent(
            r ->
                t.add(
                    check(
                        "commands per `/read` (b) = 1",
                        fmt(r.commandsPerRequest()),
                        Math.abs(r.commandsPerRequest() - 1) < 0.05)));
    row(nc, "/read")
        .ifPresent(
            r ->
                t.add(
                    check(
                        "commands per `/read` (c) ≈ 0",
                        fmt(r.commandsPerRequest()),
                        r.commandsPerRequest() < 0.05)));
    row(sk, "/write")
        .ifPresent(
            r ->
                t.add(
                    check(
                        "commands per `/write` (b) ≤ 2",
                        fmt(r.commandsPerRequest()),
                        r.commandsPerRequest() <= 2.0001)));
    row(nc, "/write")
        .ifPresent(
            r ->
                t.add(
                    check(
                        "commands per `/write` (c) ≤ 2",
                        fmt(r.commandsPerRequest()),
                        r.commandsPerRequest() <= 2.0001)));
    addRatio(t, "`/read` req/s (b) ≥ 4x (e)", sk, e, 4);
    addRatio(t, "`/read` req/s (b) ≥ 2x (d)", sk, d, 2);
    addRatio(t, "`/read` req/s (c) ≥ 60% of (a)", nc, a, 0.6);
    App.Kind f = App.Kind.PLAIN_HGETALL;
    row(sk, "/read")
        .ifPresent(
            r ->
                row(f, "/read")
                    .ifPresent(
                        x ->
                            t.add(
                                check(
                                    "`/read` Redis CPU (b) ≤ 1.5x (f)",
                                    String.format(
                                        Locale.ROOT,
                                        "%.1f / %.1f µs = %.2fx",
                                        r.redisCpuMicrosPerRequest(),
                                        x.redisCpuMicrosPerRequest(),
                                        r.redisCpuMicrosPerRequest()
                                            / x.redisCpuMicrosPerRequest()),
                                    r.redisCpuMicrosPerRequest()
                                        <= 1.5 * x.redisCpuMicrosPerRequest()))));
    addRatio(t, "`/read` req/s (b) ≥ 95% of (f)", sk, f, 0.95);
    addRatio(t, "`/login` req/s (b) ≥ 1.2x (d)", sk, d, 1.2, "/login");
    row(sk, "/login")
        .ifPresent(
            r ->
                row(d, "/login")
                    .ifPresent(
                        x ->
                            t.add(
                                check(
                                    "`/login` Redis CPU (b) ≤ (d)",
                                    String.format(
                                        Locale.ROOT,
                                        "%.1f / %.1f µs = %.2fx",
                                        r.redisCpuMicrosPerRequest(),
                                        x.redisCpuMicrosPerRequest(),
                                        r.redisCpuMicrosPerRequest()
                                            / x.redisCpuMicrosPerRequest()),
                                    r.redisCpuMicrosPerRequest()
                                        <= x.redisCpuMicrosPerRequest()))));
    addRatio(t, "`/write` req/s (b) ≥ 2x (d)", sk, d, 2, "/write");
    double[] bb = bytes.get(sk);
    double[] be = bytes.get(e);
    if (bb != null && be != null) {
      t.add(
          check(
              "bytes per session (b) ≤ 1/3 of (e)",
              String.format(Locale.ROOT, "%.0f / %.0f = %.2f", bb[0], be[0], bb[0] / be[0]),
              bb[0] <= be[0] / 3));
    }
    StringBuilder b = new StringBuilder("| target | measured | |\n|---|---:|---|\n");
    for (String[] row : t) {
      b.append("| ")
          .append(row[0])
          .append(" | ")
          .append(row[1])
          .append(" | ")
          .append(row[2])
          .append(" |\n");
    }
    return b.toString();
  }

  private void addRatio(List<String[]> t, String what, App.Kind x, App.Kind y, double min) {
    addRatio(t, what, x, y, min, "/read");
  }

  private void addRatio(
      List<String[]> t, String what, App.Kind x, App.Kind y, double min, String endpoint) {
    Optional<Comparison.Row> rx = row(x, endpoint);
    Optional<Comparison.Row> ry = row(y, endpoint);
    if (rx.isPresent() && ry.isPresent()) {
      double ratio = rx.get().load().requestsPerSecond() / ry.get().load().requestsPerSecond();
      t.add(check(what, String.format(Locale.ROOT, "%.2fx", ratio), ratio >= min));
    }
  }

  private static String[] check(String what, String measured, boolean met) {
    return new String[] {what, measured, met ? "met" : "**missed**"};
  }

  String csv() {
    StringBuilder b =
        new StringBuilder(
            "app,label,endpoint,requests_per_s,p50_ms,p99_ms,redis_commands_per_request,"
                + "redis_calls_per_request_incl_lua,jvm_cpu_us_per_request,redis_cpu_us_per_request,errors,"
                + "redis_bytes_per_session,redis_keys_per_session\n");
    for (Comparison.Row r : rows) {
      double[] m = bytes.get(r.app());
      b.append(
          String.format(
              Locale.ROOT,
              "%s,\"%s\",%s,%.1f,%.3f,%.3f,%.3f,%.3f,%.1f,%.1f,%d,%s,%s%n",
              r.app().letter,
              r.app().label,
              r.endpoint(),
              r.load().requestsPerSecond(),
              r.load().p50Micros() / 1000.0,
              r.load().p99Micros() / 1000.0,
              r.commandsPerRequest(),
              r.callsPerRequestWithScripts(),
              r.jvmCpuMicrosPerRequest(),
              r.redisCpuMicrosPerRequest(),
              r.load().errors(),
              m == null ? "" : String.format(Locale.ROOT, "%.0f", m[0]),
              m == null ? "" : String.format(Locale.ROOT, "%.2f", m[1])));
    }
    return b.toString();
  }
}
