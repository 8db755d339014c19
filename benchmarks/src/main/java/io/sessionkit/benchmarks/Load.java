package io.sessionkit.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How the comparison loads an app: wrk when it is installed (it takes less of the shared CPU),
 * otherwise the Java closed-loop generator {@link HttpLoad}. Both keep {@code connections}
 * keep-alive connections busy, each request sent as soon as the previous answer arrived.
 */
abstract class Load {

  abstract String describe();

  /** Told when the measured window starts and ends (after the warm-up), to read CPU counters. */
  interface Window {
    void start() throws IOException;

    void end() throws IOException;
  }

  abstract HttpLoad.Result run(
      int port,
      String path,
      List<@Nullable String> cookies,
      String expectedBody,
      double warmupSeconds,
      double seconds,
      Window window)
      throws IOException, InterruptedException;

  static Load choose(String which) {
    return switch (which) {
      case "java" -> new Java();
      case "wrk" -> {
        String wrk = wrkPath();
        if (wrk == null) {
          throw new IllegalStateException(
              "--loadgen wrk, but wrk is not on the PATH (Debian: apt-get install wrk)");
        }
        yield new Wrk(wrk);
      }
      case "auto" -> {
        String wrk = wrkPath();
        yield wrk == null ? new Java() : new Wrk(wrk);
      }
      default ->
          throw new IllegalArgumentException("--loadgen must be auto, wrk or java, was " + which);
    };
  }

  private static @Nullable String wrkPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "wrk");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  /** The Java closed-loop generator, one thread per connection. */
  static final class Java extends Load {
    @Override
    String describe() {
      return "Java closed-loop load generator";
    }

    @Override
    HttpLoad.Result run(
        int port,
        String path,
        List<@Nullable String> cookies,
        String expectedBody,
        double warmupSeconds,
        double seconds,
        Window window)
        throws IOException, InterruptedException {
      return HttpLoad.run(port, path, cookies, expectedBody, warmupSeconds, seconds, window);
    }
  }

  /**
   * wrk with a Lua script that spreads the sessions' cookies over the requests and prints the
   * result on one line. wrk counts answers other than 2xx/3xx as errors; a lost session answers
   * 401.
   */
  static final class Wrk extends Load {
    private final String wrk;

    Wrk(String wrk) {
      this.wrk = wrk;
    }

    @Override
    String describe() {
      return "wrk (" + Math.min(2, Runtime.getRuntime().availableProcessors()) + " threads)";
    }

    @Override
    HttpLoad.Result run(
        int port,
        String path,
        List<@Nullable String> cookies,
        String expectedBody,
        double warmupSeconds,
        double seconds,
        Window window)
        throws IOException, InterruptedException {
      Path script = Files.createTempFile("sessionkit-wrk", ".lua");
      try {
        StringBuilder lua = new StringBuilder("local cookies = {");
        for (String c : cookies) {
          if (c != null) {
            lua.append('"').append(c.replace("\\", "\\\\").replace("\"", "\\\"")).append("\",");
          }
        }
        lua.append("}\n")
            .append("local n = 0\n")
            .append("request = function()\n")
            .append("  n = n + 1\n")
            .append("  if #cookies == 0 then return wrk.format('GET', '")
            .append(path)
            .append("') end\n")
            .append("  return wrk.format('GET', '")
            .append(path)
            .append("', {['Cookie'] = cookies[(n % #cookies) + 1]})\n")
            .append("end\n")
            .append("done = function(s, latency, requests)\n")
            .append(
                "  local e = s.errors.connect + s.errors.read + s.errors.write + s.errors.status"
                    + " + s.errors.timeout\n")
            .append(
                "  io.write(string.format('SKRESULT %d %d %d %d %d\\n', s.requests, e, s.duration,"
                    + " latency:percentile(50), latency:percentile(99)))\n")
            .append("end\n");
        Files.writeString(script, lua.toString(), StandardCharsets.UTF_8);
        String threads = Integer.toString(Math.min(2, Runtime.getRuntime().availableProcessors()));
        String url = "http://127.0.0.1:" + port + path;
        String connections = Integer.toString(cookies.size());
        if (warmupSeconds > 0) {
          exec(
              List.of(
                  wrk,
                  "-t" + threads,
                  "-c" + connections,
                  "-d" + seconds(warmupSeconds),
                  "-s",
                  script.toString(),
                  url),
              warmupSeconds);
        }
        window.start();
        String out =
            exec(
                List.of(
                    wrk,
                    "-t" + threads,
                    "-c" + connections,
                    "-d" + seconds(seconds),
                    "-s",
                    script.toString(),
                    url),
                seconds);
        window.end();
        for (String line : out.split("\n")) {
          if (line.startsWith("SKRESULT ")) {
            String[] f = line.trim().split(" ");
            long requests = Long.parseLong(f[1]);
            double secs = Long.parseLong(f[3]) / 1e6;
            return new HttpLoad.Result(
                requests,
                Long.parseLong(f[2]),
                secs,
                (long) Double.parseDouble(f[4]),
                (long) Double.parseDouble(f[5]));
          }
        }
        throw new IOException("wrk printed no result:\n" + out);
      } finally {
        Files.deleteIfExists(script);
      }
    }

    private static String seconds(double s) {
      return String.format(Locale.ROOT, "%ds", Math.max(1, Math.round(s)));
    }

    private static String exec(List<String> command, double seconds)
        throws IOException, InterruptedException {
      Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
      byte[] out;
      try {
        out = p.getInputStream().readAllBytes();
        if (!p.waitFor((long) seconds + 30, TimeUnit.SECONDS)) {
          throw new IOException("wrk did not finish in time");
        }
      } finally {
        p.destroyForcibly();
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
