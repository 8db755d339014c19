package io.sessionkit.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
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
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.redis.internal.RedisIo;
import io.sessionkit.redis.internal.ReplicaWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Lettuce connection to Redis (standalone, Sentinel or Cluster), shared by a
 * {@link RedisSessionStore} and a {@link RedisTokenRevocationService}: thread-safe and pipelined, so
 * one per process is enough; there is no pool.
 *
 * <p>Whoever creates a connector closes it, after the services built on it. While Redis is down,
 * calls fail at once with {@code StoreUnavailableException} (commands are rejected, not queued) or
 * at the latest after {@link RedisOptions#commandTimeout()}; the connection reconnects by itself
 * (backing off up to one second between attempts) and calls succeed again as soon as Redis is back.
 * On Cluster, the topology is refreshed when Redis answers MOVED or ASK, and every 60 s.
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
  private final RedisOptions options;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final RedisIo io;
  private final ReplicaWait replicaWait;
  private final AtomicBoolean open = new AtomicBoolean(true);

  private RedisConnector(RedisOptions options, ClientResources resources, AbstractRedisClient client,
      StatefulConnection<String, String> connection, RedisIo io, ReplicaWait replicaWait) {
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
    ClientResources resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    Duration timeout = options.commandTimeout();
    SocketOptions socket = SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
    SslOptions ssl = options.tlsTrustedCertificates() == null ? SslOptions.create()
        : SslOptions.builder().jdkSslProvider().trustManager(options.tlsTrustedCertificates().toFile()).build();
    List<RedisURI> uris = new ArrayList<>();
    for (String u : options.uris()) {
      uris.add(toRedisUri(options, u));
    }
    AbstractRedisClient client = null;
    try {
      if (options.topology() == RedisOptions.Topology.CLUSTER) {
        RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
        cluster.setOptions(ClusterClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(socket)
            .sslOptions(ssl)
            .timeoutOptions(timeouts)
            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                // Lettuce 7 refreshes adaptively on MOVED, ASK, reconnects and unknown nodes by default.
                .enablePeriodicRefresh(Duration.ofSeconds(60))
                .build())
            .build());
        listeners.forEach(cluster::addListener);
        client = cluster;
        StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
        c.setTimeout(timeout);
        // Lettuce opens node connections lazily and rejects commands while one is pending: open them now.
        for (RedisClusterNode node : c.getPartitions()) {
          try {
            c.getConnection(node.getNodeId()).sync().ping();
          } catch (RedisException e) {
            // a node that is down now is reached later, when it is back
          }
        }
        RedisIo io = new RedisIo(c.sync(), c.async(), timeout, true);
        io.preloadScripts();
        // WAIT would go to a node connection other than the one that wrote: see Durability.REPLICATED.
        return new RedisConnector(options, resources, cluster, c, io, ReplicaWait.none());
      }
      RedisClient standalone = RedisClient.create(resources);
      standalone.setOptions(ClientOptions.builder()
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
      io.preloadScripts();
      ReplicaWait replicas = options.durability() == RedisOptions.Durability.REPLICATED
          ? ReplicaWait.on(c.sync(), options.minReplicas(), timeout.dividedBy(2)) : ReplicaWait.none();
      replicas.refresh();
      // After a reconnect (a restart, a Sentinel failover) the master may have other replicas.
      standalone.addListener(new RedisConnectionStateListener() {
        private volatile boolean dropped;

        @Override
        public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
          dropped = true;
        }

        @Override
        public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection,
            java.net.SocketAddress address) {
          if (dropped) {
            replicas.forget();
          }
        }
      });
      return new RedisConnector(options, resources, standalone, c, io, replicas);
    } catch (RedisException e) {
      if (client != null) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      }
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw new StoreUnavailableException("could not connect to Redis at " + options.uris().stream()
          .map(RedisOptions::mask).toList() + ": " + e.getMessage(), e);
    }
  }

  private static RedisURI toRedisUri(RedisOptions options, String uri) {
    RedisURI r = RedisOptions.parse(uri);
    if (options.password() != null) {
      r.setCredentialsProvider(new StaticCredentialsProvider(options.username(), options.password().toCharArray()));
    }
    if (options.database() != null) {
      r.setDatabase(options.database());
    }
    r.setTimeout(options.commandTimeout());
    if (r.isSsl()) {
      r.setVerifyPeer(switch (options.tlsVerification()) {
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

  /** @return the options this connector was created with */
  public RedisOptions options() {
    return options;
  }

  /** @return whether {@link #close()} has not been called */
  public boolean isOpen() {
    return open.get();
  }

  /** @return what makes logouts and revocations durable before they return */
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
    return ((RedisClient) client).connectPubSub(StringCodec.UTF8, toRedisUri(options, options.uris().get(0)));
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
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "RedisConnector{" + options + (open.get() ? "" : ", closed") + '}';
  }
}
