package io.sessionkit.testkit.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One Redis server a test talks to: either a {@code redis-server} process this JVM started (which
 * the test may {@link #kill()} and {@link #restart()}), or an external server named by {@code
 * REDIS_URL}.
 *
 * <p>Obtain one from {@link RedisServers}. Every process started here is killed when {@link
 * #close()} is called and, at the latest, when the JVM exits. Thread-safe.
 */
public final class RedisServer implements AutoCloseable {
  private static final int ADMIN_TIMEOUT_MILLIS = 2_000;

  private final String host;
  private final int port;
  private final @Nullable String user;
  private final @Nullable String password;
  private final int database;
  private final boolean tls;
  private final @Nullable Path dir;
  private final List<String> command;
  private @Nullable Process process;

  private RedisServer(
      String host,
      int port,
      @Nullable String user,
      @Nullable String password,
      int database,
      boolean tls,
      @Nullable Path dir,
      List<String> command) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.database = database;
    this.tls = tls;
    this.dir = dir;
    this.command = List.copyOf(command);
  }

  static RedisServer external(
      String host,
      int port,
      @Nullable String user,
      @Nullable String password,
      int database,
      boolean tls) {
    return new RedisServer(host, port, user, password, database, tls, null, List.of());
  }

  static RedisServer local(int port, Path dir, List<String> command) {
    return new RedisServer("127.0.0.1", port, null, null, 0, false, dir, command);
  }

  /**
   * @return the host the server listens on
   */
  public String host() {
    return host;
  }

  /**
   * @return the port the server listens on
   */
  public int port() {
    return port;
  }

  /**
   * @return {@code host:port}
   */
  public String address() {
    return host + ":" + port;
  }

  /**
   * The URI a client connects with, credentials and database included for an external server.
   *
   * @return e.g. {@code redis://127.0.0.1:31234}
   */
  public String uri() {
    StringBuilder sb = new StringBuilder(tls ? "rediss://" : "redis://");
    if (password != null) {
      if (user != null) {
        sb.append(user);
      }
      sb.append(':').append(password).append('@');
    }
    sb.append(host).append(':').append(port);
    if (database != 0) {
      sb.append('/').append(database);
    }
    return sb.toString();
  }

  /**
   * @return whether this JVM started the process (and may kill and restart it)
   */
  public boolean isLocal() {
    return dir != null;
  }

  /**
   * @return the working directory of a local server (its log is {@code redis.log} there)
   */
  public Path workDir() {
    if (dir == null) {
      throw new UnsupportedOperationException(
          "an external server (REDIS_URL) has no working directory");
    }
    return dir;
  }

  /**
   * Sends one command over a fresh connection, for test administration.
   *
   * @param args the command and its arguments, e.g. {@code "CONFIG", "GET", "maxmemory"}
   * @return the reply: a String, Long, List or null
   * @throws UncheckedIOException if the server cannot be reached or answers with an error
   */
  public @Nullable Object call(String... args) {
    try {
      return Resp.call(host, port, user, password, ADMIN_TIMEOUT_MILLIS, args);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Redis at " + address() + " failed " + args[0] + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return whether the server answers PING now
   */
  public boolean isUp() {
    try {
      return "PONG".equals(Resp.call(host, port, user, password, 500, "PING"));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The fields of an {@code INFO} section, e.g. {@code info("memory").get("used_memory")}.
   *
   * @param section the section name
   * @return field name to value, in the server's order
   */
  public Map<String, String> info(String section) {
    Object reply = call("INFO", section);
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : String.valueOf(reply).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    return fields;
  }

  /** Deletes every key of every database ({@code FLUSHALL}): call between tests. */
  public void flushAll() {
    call("FLUSHALL");
  }

  /**
   * Kills the process with SIGKILL, as a crash would, and waits until it is gone. The port stays
   * reserved for {@link #restart()}.
   *
   * @throws UnsupportedOperationException for an external server
   */
  public synchronized void kill() {
    Process p = requireLocalProcess();
    p.destroyForcibly();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing redis-server on port " + port, e);
    }
    RedisServers.forget(p);
    process = null;
  }

  /**
   * Starts the process again on the same port with the same arguments (and no data, unless the
   * server was started with persistence), and waits until it answers PING.
   *
   * @throws UnsupportedOperationException for an external server
   */
  public synchronized void restart() {
    if (dir == null) {
      throw new UnsupportedOperationException("an external server (REDIS_URL) cannot be restarted");
    }
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(
          "redis-server on port " + port + " is still running; kill() it first");
    }
    start();
  }

  synchronized void start() {
    Path d = Objects.requireNonNull(dir);
    try {
      Files.createDirectories(d);
      ProcessBuilder pb =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(d.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("redis.log").toFile()));
      Process p = pb.start();
      RedisServers.remember(p);
      process = p;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start " + command.get(0) + ": " + e.getMessage(), e);
    }
    awaitUp(Duration.ofSeconds(20));
  }

  void awaitUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Process p = process;
      if (p != null && !p.isAlive()) {
        throw new IllegalStateException(
            "redis-server on port "
                + port
                + " exited with "
                + p.exitValue()
                + "; its log says:\n"
                + logTail());
      }
      if (isUp()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "redis-server on port "
                + port
                + " did not answer PING within "
                + timeout
                + "; its log says:\n"
                + logTail());
      }
      RedisServers.pause(Duration.ofMillis(20));
    }
  }

  String logTail() {
    if (dir == null) {
      return "(external server)";
    }
    try {
      Path log = dir.resolve("redis.log");
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private Process requireLocalProcess() {
    if (dir == null) {
      throw new UnsupportedOperationException("an external server (REDIS_URL) cannot be killed");
    }
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("redis-server on port " + port + " is not running");
    }
    return p;
  }

  /** Kills a local process (external servers are left alone). Idempotent. */
  @Override
  public synchronized void close() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      RedisServers.forget(p);
      process = null;
    }
  }

  @Override
  public String toString() {
    return "RedisServer{" + address() + (isLocal() ? ", local" : ", external") + '}';
  }
}
