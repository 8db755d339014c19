package io.sessionkit.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.redis.internal.RedisIo;
import io.sessionkit.redis.internal.ReplicaWait;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce connection to Redis (standalone, Sentinel or Cluster), shared by a {@link
 * RedisSessionStore} and a {@link RedisTokenRevocationService}: thread-safe and pipelined, so one
 * per process is enough; there is no pool.
 *
 * <p>Whoever creates a connector closes it, after the services built on it. While Redis is down,
 * calls fail at once with {@code StoreUnavailableException} (commands are rejected, not queued) or
 * at the latest after {@link RedisOptions#commandTimeout()}; the connection reconnects by itself
 * (backing off up to one second between attempts) and calls succeed again as soon as Redis is back.
 * On Cluster, the topology is refreshed when Redis answers MOVED or ASK, and every 60 s.
 *
 * <p><b>Checks at connect.</b> The connector reads {@code maxmemory_policy} with {@code INFO
 * memory} (on every master of a Cluster; {@code INFO} works where {@code CONFIG} is blocked) and
 * refuses a policy that may evict keys ({@code volatile-*}, {@code allkeys-*}) unless {@link
 * RedisOptions#onEvictingPolicy()} accepts it; it probes {@code WAIT} for {@link
 * RedisOptions.Durability#REPLICATED}. Where the ACL denies {@code INFO} or {@code WAIT}, it logs
 * once what it could not check or do and carries on (see {@link RedisDeploymentStatus}), except
 * that a required {@link RedisOptions#minReplicas()} without {@code WAIT} is refused. No command
 * that managed services block ({@code CONFIG}, {@code MONITOR}, {@code CLIENT}, {@code KEYS},
 * {@code SCAN}) is ever sent. What was found is {@link #deploymentStatus()}.
 *
 * <pre>{@code
 * try (RedisConnector redis = RedisConnector.connect(RedisOptions.fromUri("redis://localhost:6379"));
 *      RedisSessionStore sessions = RedisSessionStore.create(redis, SessionConfig.defaults());
 *      RedisTokenRevocationService tokens =
 *          RedisTokenRevocationService.create(redis, RevocationConfig.defaults(), sessions)) {
 *   ...
 * }
 * }</pre>
 */
public final class RedisConnector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);

  private final RedisOptions options;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final RedisIo io;
  private final ReplicaWait replicaWait;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private volatile RedisDeploymentStatus status;

  private RedisConnector(
      RedisOptions options,
      ClientResources resources,
      AbstractRedisClient client,
      StatefulConnection<String, String> connection,
      RedisIo io,
      ReplicaWait replicaWait,
      RedisDeploymentStatus status) {
    this.status = status;
    this.options = options;
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.io = io;
    this.replicaWait = replicaWait;
  }

  /**
   * Connects to Redis.
   *
   * @param options where and how
   * @return the open connector
   * @throws StoreUnavailableException if Redis cannot be reached within the command timeout
   */
  public static RedisConnector connect(RedisOptions options) {
    return connect(options, List.of());
  }

  /** Connects with Lettuce command listeners attached (tests count commands with them). */
  static RedisConnector connect(RedisOptions options, List<CommandListener> listeners) {
    Objects.requireNonNull(options, "options");
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    Duration timeout = options.commandTimeout();
    SocketOptions socket =
        SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
    SslOptions ssl =
        options.tlsTrustedCertificates() == null
            ? SslOptions.create()
            : SslOptions.builder()
                .jdkSslProvider()
                .trustManager(options.tlsTrustedCertificates().toFile())
                .build();
    List<RedisURI> uris = new ArrayList<>();
    for (String u : options.uris()) {
      uris.add(toRedisUri(options, u));
    }
    AbstractRedisClient client = null;
    try {
      if (options.topology() == RedisOptions.Topology.CLUSTER) {
        RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
        cluster.setOptions(
            ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(socket)
                .sslOptions(ssl)
                .timeoutOptions(timeouts)
                .topologyRefreshOptions(
                    ClusterTopologyRefreshOptions.builder()
                        // Lettuce 7 refreshes adaptively on MOVED, ASK, reconnects and unknown
                        // nodes by default.
                        .enablePeriodicRefresh(Duration.ofSeconds(60))
                        .build())
                .build());
        listeners.forEach(cluster::addListener);
        client = cluster;
        StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
        c.setTimeout(timeout);
        // Lettuce opens node connections lazily and rejects commands while one is pending: open
        // them now.
        for (RedisClusterNode node : c.getPartitions()) {
          try {
            c.getConnection(node.getNodeId()).sync().ping();
          } catch (RedisException e) {
            // a node that is down now is reached later, when it is back
          }
        }
        RedisIo io = new RedisIo(c.sync(), c.async(), timeout, true);
        List<@Nullable RedisClusterCommands<String, String>> masters = new ArrayList<>();
        for (RedisClusterNode node : c.getPartitions()) {
          if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
            try {
              masters.add(c.getConnection(node.getNodeId()).sync());
            } catch (RedisException e) {
              // a master that is down now cannot be checked: the status says the policy is unknown
              masters.add(null);
            }
          }
        }
        RedisDeploymentStatus status = assess(options, masters, null);
        io.preloadScripts();
        // WAIT would go to a node connection other than the one that wrote: see
        // Durability.REPLICATED.
        return new RedisConnector(options, resources, cluster, c, io, ReplicaWait.none(), status);
      }
      RedisClient standalone = RedisClient.create(resources);
      standalone.setOptions(
          ClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .socketOptions(socket)
              .sslOptions(ssl)
              .timeoutOptions(timeouts)
              .build());
      listeners.forEach(standalone::addListener);
      client = standalone;
      StatefulRedisConnection<String, String> c = standalone.connect(StringCodec.UTF8, uris.get(0));
      c.setTimeout(timeout);
      RedisIo io = new RedisIo(c.sync(), c.async(), timeout, false);
      ReplicaWait replicas =
          options.durability() == RedisOptions.Durability.REPLICATED
              ? ReplicaWait.on(c.sync(), options.minReplicas(), timeout.dividedBy(2))
              : ReplicaWait.none();
      String waitProblem = replicas.probe();
      if (waitProblem != null && options.minReplicas() > 0) {
        throw new SessionException(
            "RedisOptions.minReplicas is " + options.minReplicas() + " but " + waitProblem, null);
      }
      RedisDeploymentStatus status = assess(options, List.of(c.sync()), waitProblem);
      io.preloadScripts();
      // After a reconnect (a restart, a Sentinel failover) the master may have other replicas.
      standalone.addListener(
          new RedisConnectionStateListener() {
            private volatile boolean dropped;

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
              dropped = true;
            }

            @Override
            public void onRedisConnected(
                RedisChannelHandler<?, ?> connection, SocketAddress address) {
              if (dropped) {
                replicas.forget();
              }
            }
          });
      return new RedisConnector(options, resources, standalone, c, io, replicas, status);
    } catch (SessionException e) {
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
      Future<?> unused =
          resources.shutdown(
              0, 1, TimeUnit.SECONDS); // not awaited: the caller gets the failure at once
      throw e;
    } catch (RedisException e) {
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
      Future<?> unused =
          resources.shutdown(
              0, 1, TimeUnit.SECONDS); // not awaited: the caller gets the failure at once
      throw new StoreUnavailableException(
          "could not connect to Redis at "
              + options.uris().stream().map(RedisOptions::mask).toList()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Reads the eviction policy of every master and decides: refuse an evicting policy unless the
   * options accept it; log once what could not be checked.
   */
  private static RedisDeploymentStatus assess(
      RedisOptions options,
      List<@Nullable RedisClusterCommands<String, String>> masters,
      @Nullable String waitProblem) {
    String where = options.uris().stream().map(RedisOptions::mask).toList().toString();
    List<String> warnings = new ArrayList<>();
    String policy = null;
    boolean unknown = masters.isEmpty();
    for (RedisClusterCommands<String, String> m : masters) {
      String p = m == null ? null : maxmemoryPolicy(m);
      if (p == null) {
        unknown = true;
      } else if (evicting(p)) {
        policy = p;
        break;
      } else if (policy == null) {
        policy = p;
      }
    }
    boolean evicting = policy != null && evicting(policy);
    if (evicting) {
      String risk =
          "Redis at "
              + where
              + " has maxmemory-policy "
              + policy
              + ", which lets it evict SessionKit's keys "
              + "(every one has a TTL) under memory pressure, and an evicted revocation is a token that works again";
      if (options.onEvictingPolicy() == RedisOptions.OnEvictingPolicy.REFUSE) {
        throw new SessionException(
            risk
                + ": set maxmemory-policy noeviction on the server, or accept the risk with "
                + "RedisOptions.Builder.onEvictingPolicy(OnEvictingPolicy.ALLOW_AND_WARN)",
            null);
      }
      String w =
          risk
              + "; connecting anyway because RedisOptions.onEvictingPolicy is ALLOW_AND_WARN: revocations "
              + "may be lost, the deployment status reports unhealthy";
      LOG.warn(w);
      warnings.add(w);
    } else if (unknown) {
      String w =
          "could not read maxmemory_policy from Redis at "
              + where
              + " (INFO memory is not permitted for this user, not supported, or a master was down): "
              + "SessionKit cannot check that Redis never evicts its keys; make sure maxmemory-policy is noeviction";
      LOG.warn(w);
      warnings.add(w);
      policy = null;
    }
    if (waitProblem != null) {
      LOG.warn("Redis at {}: {}", where, waitProblem);
      warnings.add(waitProblem);
    }
    return new RedisDeploymentStatus(
        unknown && !evicting ? null : policy, evicting, warnings, null);
  }

  /** The {@code maxmemory_policy} field of {@code INFO memory}, or null if the ACL denies INFO. */
  private static @Nullable String maxmemoryPolicy(RedisClusterCommands<String, String> sync) {
    String info;
    try {
      info = sync.info("memory");
    } catch (RedisCommandExecutionException e) {
      return null; // NOPERM (an ACL without INFO), or a Redis-compatible server without INFO memory
    }
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("maxmemory_policy:")) {
        return line.substring("maxmemory_policy:".length()).trim();
      }
    }
    return null; // a Redis-compatible server that does not report it
  }

  private static boolean evicting(String policy) {
    return policy.startsWith("volatile-") || policy.startsWith("allkeys-");
  }

  private static RedisURI toRedisUri(RedisOptions options, String uri) {
    RedisURI r = RedisOptions.parse(uri);
    if (options.password() != null) {
      r.setCredentialsProvider(
          new StaticCredentialsProvider(options.username(), options.password().toCharArray()));
    }
    if (options.database() != null) {
      r.setDatabase(options.database());
    }
    r.setTimeout(options.commandTimeout());
    if (r.isSsl()) {
      r.setVerifyPeer(
          switch (options.tlsVerification()) {
            case FULL -> SslVerifyMode.FULL;
            case CA -> SslVerifyMode.CA;
            case NONE -> SslVerifyMode.NONE;
          });
    }
    for (RedisURI s : r.getSentinels()) {
      s.setTimeout(options.commandTimeout());
    }
    return r;
  }

  /**
   * @return the options this connector was created with
   */
  public RedisOptions options() {
    return options;
  }

  /**
   * What was found out about the deployment: the eviction policy read at connect, what could not be
   * checked, and whether a store that lost its memory was detected since. For health checks: {@link
   * RedisDeploymentStatus#healthy()} is false while Redis may evict keys.
   *
   * @return the current snapshot; never null
   */
  public RedisDeploymentStatus deploymentStatus() {
    return status;
  }

  /** Records that a service on this connector found Redis had lost its memory. */
  synchronized void memoryLossDetected(Instant at, String warning) {
    status = status.withMemoryLoss(at, warning);
  }

  /**
   * @return whether {@link #close()} has not been called
   */
  public boolean isOpen() {
    return open.get();
  }

  /**
   * @return what makes logouts and revocations durable before they return
   */
  ReplicaWait replicaWait() {
    return replicaWait;
  }

  RedisIo io() {
    if (!open.get()) {
      throw new IllegalStateException("the RedisConnector is closed");
    }
    return io;
  }

  /**
   * Opens a second connection, on the same client, for pub/sub: the near cache's invalidations.
   * Lettuce reconnects it and subscribes again by itself; the caller closes it.
   */
  StatefulRedisPubSubConnection<String, String> connectPubSub() {
    if (!open.get()) {
      throw new IllegalStateException("the RedisConnector is closed");
    }
    if (client instanceof RedisClusterClient cluster) {
      return cluster.connectPubSub(StringCodec.UTF8);
    }
    return ((RedisClient) client)
        .connectPubSub(StringCodec.UTF8, toRedisUri(options, options.uris().get(0)));
  }

  /** Watches the client's connections going up and down (the near cache fails closed on a drop). */
  void addConnectionStateListener(RedisConnectionStateListener listener) {
    client.addListener(listener);
  }

  void removeConnectionStateListener(RedisConnectionStateListener listener) {
    client.removeListener(listener);
  }

  /** Closes the connection and releases Lettuce's threads. Idempotent. */
  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      Future<?> unused =
          resources.shutdown(0, 2, TimeUnit.SECONDS); // not awaited: close returns at once
    }
  }

  @Override
  public String toString() {
    return "RedisConnector{" + options + (open.get() ? "" : ", closed") + '}';
  }
}
