package io.sessionkit.examples;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The demo's command-line settings.
 *
 * @param portA node A's port (Jetty); 0 picks a free one
 * @param portB node B's port (Tomcat); 0 picks a free one
 * @param redisUri the Redis to share, or null for the in-memory store
 * @param idleTimeout sessions end after this long without a request
 * @param absoluteTimeout sessions end this long after sign-in, however active
 * @param maxSessionsPerUser the login limit; the least recently active session is signed out
 * @param plainHttpCookie whether the session cookie drops {@code Secure} and the {@code __Host-}
 *     prefix, for browsing the demo over plain HTTP on a host other than localhost
 */
record DemoSettings(
    int portA,
    int portB,
    @Nullable String redisUri,
    Duration idleTimeout,
    Duration absoluteTimeout,
    int maxSessionsPerUser,
    boolean plainHttpCookie) {

  static final int DEFAULT_PORT_A = 8080;
  static final int DEFAULT_PORT_B = 8081;
  static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
  static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(8);
  static final int DEFAULT_MAX_SESSIONS = 3;

  static final String USAGE =
      String.join(
          "\n",
          "Usage: ./demo [options]",
          "  --port-a N            node A (Jetty 12) port, default " + DEFAULT_PORT_A,
          "  --port-b N            node B (Tomcat 11) port, default " + DEFAULT_PORT_B,
          "  --redis URI           share sessions through Redis, e.g. redis://127.0.0.1:6379",
          "                        (default: the REDIS_URL environment variable, else in memory)",
          "  --idle DURATION       idle timeout, e.g. 30m, 90s, PT1H; default 30m",
          "  --absolute DURATION   absolute timeout; default 8h",
          "  --max-sessions N      sessions per user before the oldest is signed out; default "
              + DEFAULT_MAX_SESSIONS,
          "  --plain-http-cookie   a cookie without Secure, to browse over plain HTTP from another host",
          "  --help                this text",
          "",
          "Also: ./demo example [--redis URI]   runs the programmatic walk-through.");

  DemoSettings {
    port("port-a", portA);
    port("port-b", portB);
    if (portA != 0 && portA == portB) {
      throw new IllegalArgumentException("--port-a and --port-b must differ, both were " + portA);
    }
    positive("idle", idleTimeout);
    positive("absolute", absoluteTimeout);
    if (maxSessionsPerUser < 1) {
      throw new IllegalArgumentException(
          "--max-sessions must be at least 1, was " + maxSessionsPerUser);
    }
  }

  static DemoSettings defaults() {
    return new DemoSettings(
        DEFAULT_PORT_A,
        DEFAULT_PORT_B,
        null,
        DEFAULT_IDLE,
        DEFAULT_ABSOLUTE,
        DEFAULT_MAX_SESSIONS,
        false);
  }

  DemoSettings withPorts(int a, int b) {
    return new DemoSettings(
        a, b, redisUri, idleTimeout, absoluteTimeout, maxSessionsPerUser, plainHttpCookie);
  }

  DemoSettings withRedis(@Nullable String uri) {
    return new DemoSettings(
        portA, portB, uri, idleTimeout, absoluteTimeout, maxSessionsPerUser, plainHttpCookie);
  }

  DemoSettings withMaxSessions(int max) {
    return new DemoSettings(
        portA, portB, redisUri, idleTimeout, absoluteTimeout, max, plainHttpCookie);
  }

  /**
   * Parses the command line; {@code REDIS_URL} in {@code env} names the Redis unless {@code
   * --redis} does.
   *
   * @throws IllegalArgumentException naming the bad flag or value
   */
  static DemoSettings parse(String[] args, Map<String, String> env) {
    DemoSettings s = defaults();
    String envRedis = env.get("REDIS_URL");
    if (envRedis != null && !envRedis.isBlank()) {
      s = s.withRedis(envRedis.strip());
    }
    int portA = s.portA;
    int portB = s.portB;
    String redis = s.redisUri;
    Duration idle = s.idleTimeout;
    Duration absolute = s.absoluteTimeout;
    int max = s.maxSessionsPerUser;
    boolean plain = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      switch (flag) {
        case "--port-a" -> portA = intValue(flag, value != null ? value : next(args, ++i, flag));
        case "--port-b" -> portB = intValue(flag, value != null ? value : next(args, ++i, flag));
        case "--redis" -> redis = value != null ? value : next(args, ++i, flag);
        case "--idle" -> idle = duration(flag, value != null ? value : next(args, ++i, flag));
        case "--absolute" ->
            absolute = duration(flag, value != null ? value : next(args, ++i, flag));
        case "--max-sessions" ->
            max = intValue(flag, value != null ? value : next(args, ++i, flag));
        case "--plain-http-cookie" -> plain = true;
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    return new DemoSettings(
        portA, portB, redis == null || redis.isBlank() ? null : redis, idle, absolute, max, plain);
  }

  private static String next(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static int intValue(String flag, String v) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number, was '" + v + "'", e);
    }
  }

  /**
   * Parses {@code 90s}, {@code 30m}, {@code 8h}, {@code 2d} or an ISO-8601 duration such as {@code
   * PT30M}.
   */
  static Duration duration(String flag, String v) {
    String s = v.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("p")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (s.length() >= 2) {
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        switch (s.charAt(s.length() - 1)) {
          case 's':
            return Duration.ofSeconds(n);
          case 'm':
            return Duration.ofMinutes(n);
          case 'h':
            return Duration.ofHours(n);
          case 'd':
            return Duration.ofDays(n);
          default:
            break;
        }
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          flag + " needs a duration such as 90s, 30m, 8h or PT30M, was '" + v + "'", e);
    }
    throw new IllegalArgumentException(
        flag + " needs a duration such as 90s, 30m, 8h or PT30M, was '" + v + "'");
  }

  private static void port(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--" + name + " must be 0 to 65535, was " + port);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("--" + name + " must be positive, was " + d);
    }
  }

  @Override
  public String toString() {
    return "DemoSettings{A="
        + portA
        + ", B="
        + portB
        + ", store="
        + (redisUri == null ? "memory" : DemoBackend.maskPassword(redisUri))
        + ", idle="
        + idleTimeout
        + ", absolute="
        + absoluteTimeout
        + ", maxSessionsPerUser="
        + maxSessionsPerUser
        + ", plainHttpCookie="
        + plainHttpCookie
        + '}';
  }
}
