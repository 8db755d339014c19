package io.sessionkit.spring.boot.internal;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.redis.NearCache;
import io.sessionkit.redis.NearCacheOptions;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.redis.RedisTokenRevocationService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's one connection to Redis and the services on it: the session store, the token
 * revocation service and, if configured, the near cache in front of both. Connected at startup, or,
 * with {@code sessionkit.redis.lazy-connect=true}, on first use: until Redis answers, every call
 * fails with {@link StoreUnavailableException} (the filter answers 503), and a new attempt is made
 * at most once per {@link #RETRY_INTERVAL}, by one thread at a time (the others fail at once rather
 * than queue behind a connect timeout). Thread-safe.
 */
public final class RedisServices implements AutoCloseable {
  /** The least time between two connection attempts while Redis is unreachable. */
  public static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RedisServices.class);

  private record Live(
      RedisConnector connector,
      @Nullable NearCache nearCache,
      RedisSessionStore redisStore,
      SessionStore sessions,
      TokenRevocationService tokens) {}

  private final RedisOptions options;
  private final SessionConfig sessionConfig;
  private final RevocationConfig revocationConfig;
  private final @Nullable NearCacheOptions nearCacheOptions;
  private final Clock clock;
  private final ReentrantLock connecting = new ReentrantLock();
  private volatile @Nullable Live live;
  private volatile Instant nextAttempt = Instant.MIN;
  private volatile boolean closed;
  private volatile boolean reportedDown;

  private RedisServices(
      RedisOptions options,
      SessionConfig sessionConfig,
      RevocationConfig revocationConfig,
      @Nullable NearCacheOptions nearCacheOptions) {
    this.options = options;
    this.sessionConfig = sessionConfig;
    this.revocationConfig = revocationConfig;
    this.nearCacheOptions = nearCacheOptions;
    this.clock = sessionConfig.clock();
  }

  /**
   * Connects now.
   *
   * @param options where Redis is
   * @param sessionConfig the store's configuration
   * @param revocationConfig the token service's configuration
   * @param nearCacheOptions the near cache's options, or null for none
   * @return the connected services
   * @throws StoreUnavailableException if Redis cannot be reached
   */
  public static RedisServices connect(
      RedisOptions options,
      SessionConfig sessionConfig,
      RevocationConfig revocationConfig,
      @Nullable NearCacheOptions nearCacheOptions) {
    RedisServices s = new RedisServices(options, sessionConfig, revocationConfig, nearCacheOptions);
    s.live = s.open();
    return s;
  }

  /**
   * Tries to connect now and, if Redis is unreachable, leaves the connection to the first use.
   *
   * @param options where Redis is
   * @param sessionConfig the store's configuration
   * @param revocationConfig the token service's configuration
   * @param nearCacheOptions the near cache's options, or null for none
   * @return the services, connected or not
   */
  public static RedisServices lazy(
      RedisOptions options,
      SessionConfig sessionConfig,
      RevocationConfig revocationConfig,
      @Nullable NearCacheOptions nearCacheOptions) {
    RedisServices s = new RedisServices(options, sessionConfig, revocationConfig, nearCacheOptions);
    try {
      s.live();
    } catch (StoreUnavailableException e) {
      // reported once by live(); the application starts anyway
    }
    return s;
  }

  /**
   * @return whether the connection is open (it may still be down for a moment: Lettuce reconnects)
   */
  public boolean isConnected() {
    return live != null;
  }

  /**
   * @return the options this connects with
   */
  public RedisOptions options() {
    return options;
  }

  /**
   * @return the session store: the Redis store itself once connected at startup, else a view that
   *     connects on first use
   */
  public SessionStore sessions() {
    Live l = live;
    return l != null ? l.sessions() : new LazySessionStore(this, sessionConfig);
  }

  /**
   * @return the token revocation service, as {@link #sessions()}
   */
  public TokenRevocationService tokens() {
    Live l = live;
    return l != null ? l.tokens() : new LazyTokenRevocationService(this, revocationConfig);
  }

  /**
   * @return the connector, or null while not connected
   */
  public @Nullable RedisConnector connector() {
    Live l = live;
    return l != null ? l.connector() : null;
  }

  /**
   * @return the near cache, or null if there is none or while not connected
   */
  public @Nullable NearCache nearCache() {
    Live l = live;
    return l != null ? l.nearCache() : null;
  }

  /**
   * @return the Redis store under any near cache, or null while not connected
   */
  public @Nullable RedisSessionStore redisStore() {
    Live l = live;
    return l != null ? l.redisStore() : null;
  }

  SessionStore liveSessions() {
    return live().sessions();
  }

  TokenRevocationService liveTokens() {
    return live().tokens();
  }

  private Live live() {
    Live l = live;
    if (l != null) {
      return l;
    }
    if (closed) {
      throw new IllegalStateException("the SessionKit Redis services are closed");
    }
    Instant now = clock.instant();
    if (now.isBefore(nextAttempt) || !connecting.tryLock()) {
      throw new StoreUnavailableException(
          "Redis at " + BootRedisOptions.describe(options) + " is not reachable yet", null);
    }
    try {
      l = live;
      if (l != null) {
        return l;
      }
      try {
        l = open();
      } catch (StoreUnavailableException e) {
        nextAttempt = clock.instant().plus(RETRY_INTERVAL);
        if (!reportedDown) {
          reportedDown = true;
          LOG.warn(
              "SessionKit: Redis at {} is not reachable ({}); requests that need a session are answered 503"
                  + " until it is (sessionkit.redis.lazy-connect=true)",
              BootRedisOptions.describe(options),
              e.getMessage());
        }
        throw e;
      }
      live = l;
      if (reportedDown) {
        LOG.info("SessionKit: connected to Redis at {}", BootRedisOptions.describe(options));
      }
      return l;
    } finally {
      connecting.unlock();
    }
  }

  private Live open() {
    RedisConnector connector = RedisConnector.connect(options);
    try {
      RedisSessionStore store = RedisSessionStore.create(connector, sessionConfig);
      RedisTokenRevocationService tokens =
          RedisTokenRevocationService.create(connector, revocationConfig, store);
      if (nearCacheOptions == null) {
        return new Live(connector, null, store, store, tokens);
      }
      NearCache near = NearCache.create(connector, nearCacheOptions);
      return new Live(connector, near, store, near.sessions(store), near.tokens(tokens));
    } catch (RuntimeException e) {
      connector.close();
      throw e;
    }
  }

  /** Closes the services, the near cache and the connection, in that order. Idempotent. */
  @Override
  public void close() {
    closed = true;
    connecting.lock();
    try {
      Live l = live;
      live = null;
      if (l != null) {
        l.tokens().close();
        l.sessions().close();
        if (l.nearCache() != null) {
          l.nearCache().close();
        }
        l.connector().close();
      }
    } finally {
      connecting.unlock();
    }
  }

  @Override
  public String toString() {
    return "RedisServices{"
        + BootRedisOptions.describe(options)
        + (live != null ? ", connected" : ", not connected")
        + (nearCacheOptions != null ? ", near cache" : "")
        + '}';
  }
}
