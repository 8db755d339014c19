package io.sessionkit.testkit.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Starts real Redis servers for tests, with nothing but the {@code redis-server} and {@code
 * redis-cli} binaries and {@link ProcessBuilder}: a standalone server, a Redis Cluster of N
 * masters, a Sentinel setup. Or, for standalone, uses the server named by the {@code REDIS_URL}
 * environment variable.
 *
 * <p>Servers listen on 127.0.0.1 on free ports, keep no data on disk ({@code --save "" --appendonly
 * no}) and work in {@code target/redis/<name>-<port>} under the current directory (the module's
 * directory under Maven). Every process started here is killed with SIGKILL by {@code close()} and,
 * at the latest, by a JVM shutdown hook.
 *
 * <p>If a binary is missing, the start fails (never skips) with a message saying how to get one:
 * {@code apt-get install -y redis-server}, or set {@code REDIS_URL} (standalone only). The binaries
 * are looked up in {@code REDIS_SERVER_BIN} / {@code REDIS_CLI_BIN} if set, else on {@code PATH}.
 *
 * <pre>{@code
 * static RedisServer redis;
 * @BeforeAll static void start() { redis = RedisServers.standalone(); }
 * @BeforeEach void clean() { redis.flushAll(); }
 * @AfterAll static void stop() { redis.close(); }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RedisServers {
  /** The environment variable naming an external Redis for standalone tests: {@value}. */
  public static final String REDIS_URL_ENV = "REDIS_URL";

  private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> PROCESSES.forEach(Process::destroyForcibly), "redis-servers-shutdown"));
  }

  private RedisServers() {}

  /**
   * A standalone server: the one named by {@code REDIS_URL} if that is set (it will be flushed
   * between tests, so never point it at data you keep), else a new local process.
   *
   * @return a running server
   * @throws IllegalStateException if neither {@code REDIS_URL} nor {@code redis-server} is
   *     available
   */
  public static RedisServer standalone() {
    String url = System.getenv(REDIS_URL_ENV);
    if (url != null && !url.isBlank()) {
      return external(url.trim());
    }
    return startLocal();
  }

  /**
   * A new local {@code redis-server} process, whatever {@code REDIS_URL} says: for tests that kill,
   * restart or reconfigure the server.
   *
   * @param extraArgs more {@code redis-server} arguments, e.g. {@code "--maxmemory", "64mb"}
   * @return a running server
   * @throws IllegalStateException if {@code redis-server} is not available or does not start
   */
  public static RedisServer startLocal(String... extraArgs) {
    int port = freePort(false);
    Path dir = workDir("standalone", port);
    List<String> cmd = baseCommand(port, dir);
    cmd.addAll(List.of(extraArgs));
    RedisServer server = RedisServer.local(port, dir, cmd);
    server.start();
    return server;
  }

  /**
   * A Redis Cluster of {@code masters} masters and no replicas, joined with {@code redis-cli
   * --cluster create}, returned once every node reports {@code cluster_state:ok}.
   *
   * @param masters at least 3
   * @return the running cluster
   */
  public static RedisCluster cluster(int masters) {
    if (masters < 3) {
      throw new IllegalArgumentException(
          "a Redis Cluster needs at least 3 masters, was " + masters);
    }
    List<RedisServer> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        int port = freePort(true);
        Path dir = workDir("cluster", port);
        List<String> cmd = baseCommand(port, dir);
        cmd.addAll(
            List.of(
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "5000"));
        RedisServer node = RedisServer.local(port, dir, cmd);
        nodes.add(node);
        node.start();
      }
      List<String> create = new ArrayList<>(List.of(cliBinary(), "--cluster", "create"));
      nodes.forEach(n -> create.add(n.address()));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      run(create, nodes.get(0).workDir().resolve("cluster-create.log"));
      RedisCluster cluster = new RedisCluster(nodes);
      cluster.awaitOk(Duration.ofSeconds(30));
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  /**
   * A Sentinel setup: a master, one replica of it and one Sentinel monitoring it under {@link
   * RedisSentinelSetup#MASTER_NAME}, returned once the replica is in sync and the Sentinel knows
   * the master.
   *
   * @return the running setup
   */
  public static RedisSentinelSetup sentinel() {
    List<RedisServer> started = new ArrayList<>();
    try {
      RedisServer master = startLocal();
      started.add(master);
      RedisServer replica = startLocal("--replicaof", "127.0.0.1", String.valueOf(master.port()));
      started.add(replica);
      int sentinelPort = freePort(false);
      Path dir = workDir("sentinel", sentinelPort);
      Files.createDirectories(dir);
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "port " + sentinelPort,
              "bind 127.0.0.1",
              "dir " + dir.toAbsolutePath(),
              "sentinel monitor "
                  + RedisSentinelSetup.MASTER_NAME
                  + " 127.0.0.1 "
                  + master.port()
                  + " 1",
              "sentinel down-after-milliseconds " + RedisSentinelSetup.MASTER_NAME + " 2000",
              "sentinel failover-timeout " + RedisSentinelSetup.MASTER_NAME + " 10000",
              ""),
          StandardCharsets.UTF_8);
      RedisServer sentinel =
          RedisServer.local(
              sentinelPort,
              dir,
              List.of(serverBinary(), conf.toAbsolutePath().toString(), "--sentinel"));
      started.add(sentinel);
      sentinel.start();
      RedisSentinelSetup setup = new RedisSentinelSetup(master, replica, sentinel);
      setup.awaitReady(Duration.ofSeconds(30));
      return setup;
    } catch (IOException e) {
      started.forEach(RedisServer::close);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      started.forEach(RedisServer::close);
      throw e;
    }
  }

  static RedisServer external(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(REDIS_URL_ENV + " is not a URI: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalStateException(
          REDIS_URL_ENV + " must start with redis:// or rediss://, was scheme " + scheme);
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info);
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }
    int db = 0;
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      db = Integer.parseInt(path.substring(1));
    }
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    RedisServer server =
        RedisServer.external(host, port, user, password, db, "rediss".equals(scheme));
    if (!"rediss".equals(scheme) && !server.isUp()) {
      throw new IllegalStateException(
          REDIS_URL_ENV + " names " + host + ":" + port + ", which does not answer PING");
    }
    return server;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  static List<String> baseCommand(int port, Path dir) {
    return new ArrayList<>(
        List.of(
            serverBinary(),
            "--port",
            String.valueOf(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toAbsolutePath().toString(),
            "--daemonize",
            "no"));
  }

  /**
   * The {@code redis-server} binary.
   *
   * @return its path
   * @throws IllegalStateException with instructions if it cannot be found
   */
  public static String serverBinary() {
    return binary("redis-server", "REDIS_SERVER_BIN");
  }

  /**
   * The {@code redis-cli} binary.
   *
   * @return its path
   * @throws IllegalStateException with instructions if it cannot be found
   */
  public static String cliBinary() {
    return binary("redis-cli", "REDIS_CLI_BIN");
  }

  private static String binary(String name, String env) {
    String configured = System.getenv(env);
    if (configured != null && !configured.isBlank()) {
      if (Files.isExecutable(Path.of(configured))) {
        return configured;
      }
      throw new IllegalStateException(env + "=" + configured + " is not an executable file");
    }
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"));
    for (String d : dirs) {
      Path candidate = Path.of(d, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(
        name
            + " was not found on PATH. The Redis tests need a real Redis: install it "
            + "(Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis), or set "
            + env
            + " to the binary"
            + ("redis-server".equals(name)
                ? ", or set "
                    + REDIS_URL_ENV
                    + "=redis://host:port to a Redis the tests may FLUSHALL (standalone tests only)"
                : "")
            + ".");
  }

  /**
   * The working directory of a server: {@code target/redis/<kind>-<port>} under the current
   * directory, emptied first.
   */
  static Path workDir(String kind, int port) {
    Path dir = Path.of("target", "redis", kind + "-" + port).toAbsolutePath();
    try {
      if (Files.exists(dir)) {
        try (var files = Files.walk(dir)) {
          files
              .sorted((a, b) -> b.getNameCount() - a.getNameCount())
              .filter(p -> !p.equals(dir))
              .forEach(
                  p -> {
                    try {
                      Files.delete(p);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare " + dir, e);
    }
    return dir;
  }

  /**
   * A port that is free now on 127.0.0.1, for a second listener of a server (e.g. {@code
   * --tls-port}).
   *
   * @return the port
   */
  public static int freePort() {
    return freePort(false);
  }

  /**
   * A port that is free now on 127.0.0.1; for a cluster node, the bus port (+10000) is free too.
   */
  static int freePort(boolean withBusPort) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 50_000);
      if (isFree(port) && (!withBusPort || isFree(port + 10_000))) {
        return port;
      }
    }
    throw new IllegalStateException("no free port found on 127.0.0.1 after 200 attempts");
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(List<String> command, Path log) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
              .start();
      remember(p);
      try {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish within 60 s");
        }
      } finally {
        forget(p);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + p.exitValue()
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  static void remember(Process p) {
    PROCESSES.add(p);
  }

  static void forget(Process p) {
    PROCESSES.remove(p);
  }

  /** Waits a little while polling a server's state; nothing here can be awaited on a latch. */
  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", e);
    }
  }

  static @Nullable String field(@Nullable Object info, String name) {
    for (String line : String.valueOf(info).split("\r\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1);
      }
    }
    return null;
  }
}
