package io.sessionkit.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sessionkit.core.Digests;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.redis.internal.RedisIo;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process-local cache of sessions and token answers in front of Redis, kept coherent across
 * servers by a Redis pub/sub channel: the shared part of {@link NearCachedSessionStore} and {@link
 * NearCachedTokenRevocationService}. One per process, on the process's {@link RedisConnector};
 * every server of the application must use the same channel.
 *
 * <p><b>How it stays coherent.</b> Every write or delete made through a near-cached store or
 * service is applied to Redis first; then the writer drops its own entry and PUBLISHes the handle
 * (or user digest, or token digest) on the channel before the call returns; every other server
 * drops its entry when the message arrives. Messages carry digests only, never a session id or a
 * token.
 *
 * <p><b>Staleness bound.</b> After a write or revocation returns on one server, another server may
 * still serve its old entry only until the invalidation reaches it (a pub/sub delivery, normally
 * well under a millisecond on a LAN), and <em>never longer than</em> {@link
 * NearCacheOptions#maxAge()} (default 1 s): every entry is dropped that long after it was read from
 * Redis, whatever happens to the messages. The bound also covers writers that do not publish (a
 * server without the near cache, or a PUBLISH that failed after its write succeeded).
 *
 * <p><b>Channels.</b> On a standalone or Sentinel Redis, one plain channel ({@link #channel()}). On
 * Redis Cluster 7.0+ (and Valkey), sharded pub/sub: one channel per slot tag, {@code
 * <channel>{TT}}, in the same hash slot as the tag's keys, subscribed ({@code SSUBSCRIBE}) on the
 * master that serves it; a write publishes ({@code SPUBLISH}) on the channel of the keys it
 * changed, so the message travels within that shard only, instead of being broadcast over the
 * cluster bus to every node as a plain {@code PUBLISH} is. A cluster that refuses {@code
 * SSUBSCRIBE} (an older server, or an ACL without it) gets the plain channel, logged once at start.
 * See {@link #isSharded()}.
 *
 * <p><b>Failing closed.</b> While the subscription is down (connection lost, Redis restarting) the
 * cache is emptied and serves nothing: every call goes to Redis. It serves again only once Lettuce
 * has reconnected and the SUBSCRIBE is confirmed, after emptying itself once more. Sharded, the
 * same holds for every master's subscription connection, and also when a slot moves to another
 * master (Redis then drops its shard subscriptions): every channel is subscribed again on the
 * current topology before the cache serves again.
 *
 * <p>Thread-safe. Closing the near cache closes its subscription; the decorators it made then go to
 * Redis on every call.
 *
 * <pre>{@code
 * RedisConnector redis = RedisConnector.connect(RedisOptions.fromUri("redis://localhost:6379"));
 * NearCache near = NearCache.create(redis, NearCacheOptions.defaults());
 * SessionStore sessions = near.sessions(RedisSessionStore.create(redis, SessionConfig.defaults()));
 * }</pre>
 */
public final class NearCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NearCache.class);

  /** Message kinds: a session handle, a user digest, a token digest, every token. */
  static final char SESSION = 's';

  static final char USER = 'u';
  static final char TOKEN = 't';
  static final char ALL_TOKENS = 'g';

  /** SSUBSCRIBEs sent to each master before waiting for their confirmations. */
  private static final int SUBSCRIBE_ROUND = 128;

  /** Receives invalidations. Called on a Lettuce thread; must be quick and must not block. */
  interface Invalidatable {
    void invalidateHandle(String handle);

    void invalidateUser(String userDigest);

    void invalidateToken(String tokenDigest);

    void invalidateAllTokens();

    /** Drops everything: the subscription dropped or came back. */
    void invalidateAll();
  }

  private final RedisConnector connector;
  private final RedisIo io;
  private final NearCacheOptions options;
  private final String channel;
  private final String node;
  private final StatefulRedisPubSubConnection<String, String> pubsub;

  /** Cluster only: whether invalidations travel on sharded channels, one per slot tag. */
  private volatile boolean sharded;

  /** The per-node connections that hold the shard subscriptions (sharded mode). */
  private final Set<Object> shardConnections = ConcurrentHashMap.newKeySet();

  /** Re-subscribes the shard channels after a drop or a slot migration (sharded mode). */
  private final ScheduledExecutorService resubscriber =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sessionkit-near-cache-resubscribe");
            t.setDaemon(true);
            return t;
          });

  private final AtomicBoolean resubscribing = new AtomicBoolean();
  private final List<Invalidatable> caches = new CopyOnWriteArrayList<>();
  private final ReentrantLock stateLock = new ReentrantLock();
  private final Condition stateChanged = stateLock.newCondition();
  private volatile boolean serving;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final RedisConnectionStateListener stateListener =
      new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
          if (sharded ? shardConnections.contains(connection) : connection == pubsub) {
            setServing(false);
          }
        }

        @Override
        public void onRedisConnected(
            RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
          // Not yet: serving resumes when the re-SUBSCRIBE is confirmed
          // (RedisPubSubListener.subscribed),
          // or, sharded, once every shard channel is subscribed again on the current topology.
          if (sharded && shardConnections.contains(connection)) {
            scheduleResubscribe(0);
          }
        }
      };

  private NearCache(RedisConnector connector, NearCacheOptions options) {
    this.connector = connector;
    this.io = connector.io();
    this.options = options;
    String c = options.channel();
    this.channel =
        c != null ? c : connector.options().keyPrefix() + NearCacheOptions.DEFAULT_CHANNEL_SUFFIX;
    byte[] n = new byte[9];
    new SecureRandom().nextBytes(n);
    this.node = Base64.getUrlEncoder().withoutPadding().encodeToString(n);
    this.pubsub = connector.connectPubSub();
  }

  /**
   * Subscribes to the invalidation channel and returns once the subscription is confirmed.
   *
   * @param connector the process's connection to Redis, closed by the caller after the near cache
   * @param options the options
   * @return the near cache, serving
   * @throws StoreUnavailableException if Redis cannot be reached
   */
  public static NearCache create(RedisConnector connector, NearCacheOptions options) {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(options, "options");
    NearCache near;
    try {
      near = new NearCache(connector, options);
    } catch (RedisException e) {
      throw new StoreUnavailableException(
          "could not open the near cache's pub/sub connection: " + e.getMessage(), e);
    }
    near.start();
    return near;
  }

  private void start() {
    connector.addConnectionStateListener(stateListener);
    if (pubsub instanceof StatefulRedisClusterPubSubConnection<String, String> cluster
        && startSharded(cluster)) {
      return;
    }
    pubsub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String ch, String message) {
            if (channel.equals(ch)) {
              receive(message);
            }
          }

          @Override
          public void subscribed(String ch, long count) {
            if (channel.equals(ch)) {
              setServing(true);
            }
          }

          @Override
          public void unsubscribed(String ch, long count) {
            if (channel.equals(ch)) {
              setServing(false);
            }
          }
        });
    try {
      pubsub.sync().subscribe(channel);
    } catch (RedisException e) {
      shutdown();
      throw new StoreUnavailableException(
          "could not subscribe to the near cache channel: " + e.getMessage(), e);
    }
    // The confirmation may reach the listener just after sync() returns; the subscription exists
    // now.
    setServing(true);
  }

  private void shutdown() {
    connector.removeConnectionStateListener(stateListener);
    resubscriber.shutdownNow();
    pubsub.close();
  }

  // ---------------------------------------------------------------------------------------------
  // sharded pub/sub (Redis Cluster 7.0+, Valkey)

  /**
   * The shard channel of a slot tag: {@code <channel>{tag}}, in the same hash slot as the tag's
   * keys, so an invalidation travels only within the shard that holds the data (and its replicas)
   * instead of being broadcast over the cluster bus to every node.
   */
  private String shardChannel(String tag) {
    return channel + '{' + tag + '}';
  }

  /**
   * Subscribes to the 4096 shard channels, each on the master that serves its slot.
   *
   * @return false if the servers do not offer sharded pub/sub (then plain pub/sub is used)
   */
  private boolean startSharded(StatefulRedisClusterPubSubConnection<String, String> cluster) {
    cluster.setNodeMessagePropagation(true);
    cluster.addListener(
        new RedisClusterPubSubAdapter<>() {
          @Override
          public void smessage(RedisClusterNode node, String ch, String message) {
            if (ch.startsWith(channel) && ch.length() == channel.length() + 2 + Digests.TAG_CHARS) {
              receive(message);
            }
          }

          @Override
          public void sunsubscribed(RedisClusterNode node, String ch, long count) {
            // A slot moved to another master (Redis drops its shard subscriptions), or we closed.
            if (open.get() && sharded && ch.startsWith(channel)) {
              setServing(false);
              scheduleResubscribe(0);
            }
          }
        });
    try {
      sharded = true;
      subscribeShards(cluster);
    } catch (RedisException e) {
      sharded = false;
      String m = String.valueOf(e.getMessage()).toUpperCase(Locale.ROOT);
      if (m.startsWith("ERR UNKNOWN COMMAND") || m.contains("NOPERM")) {
        LOG.info(
            "near cache: sharded pub/sub (SSUBSCRIBE, Redis 7.0+) is not available here ({}); using plain "
                + "pub/sub on {}, which Redis Cluster broadcasts to every node",
            e.getMessage(),
            channel);
        return false;
      }
      shutdown();
      throw new StoreUnavailableException(
          "could not subscribe to the near cache channels: " + e.getMessage(), e);
    }
    setServing(true);
    return true;
  }

  /**
   * SSUBSCRIBEs every shard channel on the master serving its slot now; returns once all are
   * confirmed.
   */
  private void subscribeShards(StatefulRedisClusterPubSubConnection<String, String> cluster) {
    Partitions partitions = cluster.getPartitions();
    Map<String, List<String>> byNode = new HashMap<>();
    for (int bits = 0; bits < 4096; bits++) {
      String ch = shardChannel(Digests.tagOf(bits));
      RedisClusterNode master = partitions.getMasterBySlot(SlotHash.getSlot(ch));
      if (master == null) {
        throw new RedisException("no master serves slot " + SlotHash.getSlot(ch) + " yet");
      }
      byNode.computeIfAbsent(master.getNodeId(), k -> new ArrayList<>()).add(ch);
    }
    Map<StatefulRedisPubSubConnection<String, String>, List<String>> todo = new HashMap<>();
    for (Map.Entry<String, List<String>> e : byNode.entrySet()) {
      StatefulRedisPubSubConnection<String, String> node = cluster.getConnection(e.getKey());
      shardConnections.add(node);
      todo.put(node, e.getValue());
    }
    // In rounds of a few hundred per node: each SSUBSCRIBE then waits for its confirmation well
    // within the command timeout, however many are still to send.
    long started = System.nanoTime();
    for (int from = 0; ; from += SUBSCRIBE_ROUND) {
      List<RedisFuture<Void>> pending = new ArrayList<>();
      for (Map.Entry<StatefulRedisPubSubConnection<String, String>, List<String>> e :
          todo.entrySet()) {
        List<String> channels = e.getValue();
        for (int i = from; i < Math.min(channels.size(), from + SUBSCRIBE_ROUND); i++) {
          pending.add(
              e.getKey()
                  .async()
                  .ssubscribe(channels.get(i))); // one slot per SSUBSCRIBE, as Redis requires
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      long deadline = System.nanoTime() + connector.options().commandTimeout().toNanos();
      for (RedisFuture<Void> f : pending) {
        try {
          f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RedisException re ? re : new RedisException(e.getCause());
        } catch (TimeoutException e) {
          throw new RedisException(
              "SSUBSCRIBE not confirmed within " + connector.options().commandTimeout(), e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RedisException("interrupted while subscribing", e);
        }
      }
    }
    LOG.debug(
        "near cache: 4096 shard channels subscribed on {} masters in {} ms",
        todo.size(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Subscribes every shard channel again on the current topology, retrying until it succeeds or the
   * near cache closes; serves again only then. Runs on its own thread, one pass at a time.
   */
  private void scheduleResubscribe(long delayMillis) {
    if (!open.get() || !resubscribing.compareAndSet(false, true)) {
      return;
    }
    try {
      // Nothing waits for the pass: it logs its own failure and schedules the next one.
      Future<?> unused =
          resubscriber.schedule(
              () -> {
                boolean done = false;
                try {
                  subscribeShards((StatefulRedisClusterPubSubConnection<String, String>) pubsub);
                  done = true;
                } catch (RuntimeException e) {
                  LOG.debug(
                      "near cache: shard channels not subscribed yet ({}); retrying",
                      e.getMessage());
                } finally {
                  resubscribing.set(false);
                }
                if (done && open.get()) {
                  setServing(true);
                } else if (open.get()) {
                  scheduleResubscribe(100);
                }
              },
              delayMillis,
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      resubscribing.set(false); // closing
    }
  }

  /**
   * Whether invalidations travel on sharded pub/sub ({@code SSUBSCRIBE}/{@code SPUBLISH}, one
   * channel per slot tag): on Redis Cluster 7.0+ and Valkey. False on a standalone or Sentinel
   * Redis, and on a cluster that does not offer it, where one plain channel is used.
   *
   * @return whether the channels are sharded
   */
  public boolean isSharded() {
    return sharded;
  }

  /**
   * A near-cached view of a session store: reads served from this process's memory, writes through
   * to Redis and announced to the other servers.
   *
   * @param store the Redis store, on this near cache's connector
   * @return the cached store; closing it closes {@code store}
   * @throws IllegalArgumentException if the store is on another connector
   */
  public NearCachedSessionStore sessions(RedisSessionStore store) {
    Objects.requireNonNull(store, "store");
    if (store.connector() != connector) {
      throw new IllegalArgumentException(
          "the store must use the near cache's connector, was " + store.connector());
    }
    NearCachedSessionStore cached = new NearCachedSessionStore(this, store);
    caches.add(cached);
    return cached;
  }

  /**
   * A near-cached view of a token revocation service: check answers served from this process's
   * memory, revocations through to Redis and announced to the other servers.
   *
   * @param service the Redis service, on this near cache's connector
   * @return the cached service; closing it closes {@code service}
   */
  public NearCachedTokenRevocationService tokens(RedisTokenRevocationService service) {
    Objects.requireNonNull(service, "service");
    NearCachedTokenRevocationService cached = new NearCachedTokenRevocationService(this, service);
    caches.add(cached);
    return cached;
  }

  /**
   * @return the options
   */
  public NearCacheOptions options() {
    return options;
  }

  /**
   * @return the pub/sub channel in use
   */
  public String channel() {
    return channel;
  }

  /**
   * Whether entries may be served now: the subscription is confirmed and the near cache is open.
   * While false, every call goes to Redis.
   *
   * @return whether the cache is serving
   */
  public boolean isServing() {
    return serving && open.get();
  }

  /** Drops a user's entries from every cache of this process (its own messages are not applied). */
  void invalidateUserLocally(String userDigest) {
    for (Invalidatable c : caches) {
      c.invalidateUser(userDigest);
    }
  }

  void forget(Invalidatable cache) {
    caches.remove(cache);
  }

  /**
   * Waits until {@link #isServing()} equals {@code wanted}, for tests that cut the connection.
   *
   * @return whether it does within the timeout
   */
  boolean awaitServing(boolean wanted, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    stateLock.lock();
    try {
      while (isServing() != wanted) {
        if (left <= 0) {
          return false;
        }
        left = stateChanged.awaitNanos(left);
      }
      return true;
    } finally {
      stateLock.unlock();
    }
  }

  private void setServing(boolean now) {
    stateLock.lock();
    try {
      // Empty the caches on every change: on a drop, messages may be lost from now on; on a
      // resubscription, messages were lost while it was down.
      for (Invalidatable c : caches) {
        c.invalidateAll();
      }
      boolean was = serving;
      serving = now;
      if (was != now) {
        if (now) {
          LOG.info(
              "near cache serving: subscribed to {}",
              sharded ? channel + "{..} (4096 shard channels)" : channel);
        } else if (open.get()) {
          LOG.warn(
              "near cache disabled: its invalidation subscription to {} dropped; reading Redis until it is back",
              channel);
        }
      }
      stateChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
  }

  /**
   * Announces invalidations to the other servers, after the write took effect in Redis, on the
   * channel of {@code tag} (the slot tag of the keys concerned) when sharded. A failure is logged,
   * not thrown: the write happened, and the other servers' entries die within {@link
   * NearCacheOptions#maxAge()} anyway.
   */
  void publish(char kind, String tag, List<String> digests) {
    if (digests.isEmpty() && kind != ALL_TOKENS) {
      return;
    }
    StringBuilder m = new StringBuilder(node.length() + 2 + digests.size() * 23);
    m.append(node).append(' ').append(kind);
    for (String d : digests) {
      m.append(' ').append(d);
    }
    try {
      if (sharded) {
        // Every server subscribes to every shard channel; the tag only picks the shard that carries
        // it.
        io.spublish(shardChannel(tag), m.toString());
      } else {
        io.publish(channel, m.toString());
      }
    } catch (SessionException e) {
      LOG.warn(
          "near cache could not publish an invalidation ({}); other servers drop their entry within {}",
          e.getMessage(),
          options.maxAge());
    }
  }

  private void receive(String message) {
    // "<node> <kind> <digest>...": a message from this process was applied before it was sent.
    int sp = message.indexOf(' ');
    if (sp <= 0
        || sp + 1 >= message.length()
        || (sp == node.length() && message.startsWith(node))) {
      return;
    }
    char kind = message.charAt(sp + 1);
    String[] parts =
        sp + 2 < message.length() ? message.substring(sp + 2).trim().split(" ") : new String[0];
    for (Invalidatable c : caches) {
      for (String d : parts) {
        if (d.isEmpty()) {
          continue;
        }
        switch (kind) {
          case SESSION -> c.invalidateHandle(d);
          case USER -> c.invalidateUser(d);
          case TOKEN -> c.invalidateToken(d);
          default -> {}
        }
      }
      if (kind == ALL_TOKENS) {
        c.invalidateAllTokens();
      }
    }
  }

  /** Unsubscribes and closes the pub/sub connection. Idempotent. The connector stays open. */
  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      connector.removeConnectionStateListener(stateListener);
      resubscriber.shutdownNow();
      for (Invalidatable c : caches) {
        c.invalidateAll();
      }
      try {
        pubsub.closeAsync().get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debug("near cache pub/sub connection did not close cleanly", e);
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Override
  public String toString() {
    return "NearCache{channel="
        + channel
        + ", "
        + options
        + (isServing() ? "" : ", not serving")
        + '}';
  }
}
