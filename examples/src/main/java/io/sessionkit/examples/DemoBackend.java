package io.sessionkit.examples;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.RefreshTokenService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.micrometer.SessionCountMetrics;
import io.sessionkit.micrometer.SessionKitMetrics;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.redis.RedisTokenRevocationService;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the demo's sessions and token revocations live, and what each node gets to reach them.
 *
 * <p>In memory, both nodes hold the same store object: one process, one source of truth. On Redis,
 * each node gets its own connection, store and revocation service, exactly as two servers on two
 * machines would; all they share is the Redis server. Not thread-safe while nodes are being made;
 * the services it hands out are.
 */
final class DemoBackend implements AutoCloseable {
  /**
   * The key prefix of the demo's data in Redis, apart from other applications on the same server.
   */
  static final String REDIS_KEY_PREFIX = "sk-demo:";

  /** What one node uses: the session store and the token service with its refresh tokens. */
  record Services(
      SessionStore sessions, TokenRevocationService tokens, RefreshTokenService refreshTokens) {
    static <T extends TokenRevocationService & RefreshTokenService> Services of(
        SessionStore sessions, T tokens) {
      return new Services(sessions, tokens, tokens);
    }
  }

  private final SessionConfig sessionConfig;
  private final RevocationConfig revocationConfig;
  private final SessionKitMetrics metrics;
  private boolean countsBound;
  private final @Nullable String redisUri;
  private final @Nullable Services shared;
  private final List<AutoCloseable> opened = new ArrayList<>();

  private DemoBackend(
      SessionConfig sessionConfig,
      RevocationConfig revocationConfig,
      SessionKitMetrics metrics,
      @Nullable String redisUri) {
    this.sessionConfig = metrics.register(sessionConfig.toBuilder()).build();
    this.revocationConfig = metrics.register(revocationConfig.toBuilder()).build();
    this.metrics = metrics;
    sessionConfig = this.sessionConfig;
    revocationConfig = this.revocationConfig;
    this.redisUri = redisUri;
    if (redisUri == null) {
      InMemorySessionStore store = InMemorySessionStore.create(sessionConfig);
      // Given the store, revokeAllForUser also ends the user's sessions (the password change).
      InMemoryTokenRevocationService tokens =
          InMemoryTokenRevocationService.create(revocationConfig, store);
      opened.add(tokens);
      opened.add(store);
      SessionCountMetrics.of(store).bindTo(metrics.registry());
      this.shared = observed(store, tokens);
    } else {
      // Fail at start, with the URI in the message, rather than on the first request.
      RedisOptions.fromUri(redisUri);
      this.shared = null;
    }
  }

  static DemoBackend inMemory(
      SessionConfig sessionConfig, RevocationConfig revocationConfig, SessionKitMetrics metrics) {
    return new DemoBackend(sessionConfig, revocationConfig, metrics, null);
  }

  static DemoBackend redis(
      String uri,
      SessionConfig sessionConfig,
      RevocationConfig revocationConfig,
      SessionKitMetrics metrics) {
    return new DemoBackend(
        sessionConfig, revocationConfig, metrics, Objects.requireNonNull(uri, "uri"));
  }

  /**
   * The services as the nodes use them: observed by the metrics (the store undecorated underneath).
   */
  private Services observed(SessionStore store, TokenRevocationService tokens) {
    TokenRevocationService t = metrics.observe(tokens);
    return new Services(metrics.observe(store), t, (RefreshTokenService) t);
  }

  /**
   * The services of one node.
   *
   * @throws io.sessionkit.core.StoreUnavailableException if Redis cannot be reached
   */
  Services forNode() {
    if (shared != null) {
      return shared;
    }
    // Counting on every node, so that any node can read the cluster-wide gauges.
    RedisOptions options =
        RedisOptions.builder()
            .uri(Objects.requireNonNull(redisUri))
            .keyPrefix(REDIS_KEY_PREFIX)
            .counting(RedisOptions.Counting.EXACT)
            .build();
    RedisConnector connector = RedisConnector.connect(options);
    opened.add(0, connector);
    RedisSessionStore store = RedisSessionStore.create(connector, sessionConfig);
    RedisTokenRevocationService tokens =
        RedisTokenRevocationService.create(connector, revocationConfig, store);
    // Closed in reverse: the services before the connector they use.
    opened.add(0, store);
    opened.add(0, tokens);
    if (!countsBound) {
      // Either node reads the same figures: one pair of gauges for the process.
      SessionCountMetrics.of(store).bindTo(metrics.registry());
      countsBound = true;
    }
    return observed(store, tokens);
  }

  /**
   * @return "in memory" or the Redis URI with any password masked, for the console and the page
   */
  String description() {
    return redisUri == null
        ? "in-memory store (one process)"
        : "Redis at " + maskPassword(redisUri);
  }

  boolean isRedis() {
    return redisUri != null;
  }

  static String maskPassword(String uri) {
    return uri.replaceFirst("^([a-z-]+://)([^@/]*:)?[^@/]*@", "$1***@");
  }

  @Override
  public void close() {
    for (AutoCloseable c : opened) {
      try {
        c.close();
      } catch (Exception e) {
        // Shutting down: nothing left to do about it.
      }
    }
    opened.clear();
  }
}
