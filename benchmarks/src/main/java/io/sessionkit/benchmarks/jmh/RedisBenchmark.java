package io.sessionkit.benchmarks.jmh;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.redis.NearCache;
import io.sessionkit.redis.NearCacheOptions;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.redis.RedisTokenRevocationService;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis store and token service, with and without the near cache, against a redis-server this
 * benchmark starts on a free port: session access (one EVALSHA, or none when cached), an update,
 * and a token check. Latency per call from one thread; the load comparison measures throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisBenchmark {
  /** Whether the near cache sits in front. */
  @Param({"plain", "nearCache"})
  public String mode;

  private RedisServer redis;
  private RedisConnector connector;
  private @Nullable NearCache near;
  private SessionStore store;
  private TokenRevocationService tokens;
  private String id;
  private TokenClaims token;
  private final SessionChanges change = SessionChanges.builder().set("a2", "value-2").build();

  /** Starts Redis, the store and the service, and one session with 4 attributes. */
  @Setup(Level.Trial)
  public void setUp() {
    redis = RedisServers.startLocal();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
    RedisSessionStore plain =
        RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build());
    RedisTokenRevocationService plainTokens =
        RedisTokenRevocationService.create(
            connector, RevocationConfig.builder().auditLogging(false).build(), plain);
    if (mode.equals("nearCache")) {
      NearCache n = NearCache.create(connector, NearCacheOptions.defaults());
      near = n;
      store = n.sessions(plain);
      tokens = n.tokens(plainTokens);
    } else {
      store = plain;
      tokens = plainTokens;
    }
    id = store.login(null, "alice").sessionOrThrow().id();
    store.update(
        id,
        SessionChanges.builder()
            .set("a1", "value-1")
            .set("a2", "value-2")
            .set("a3", 3)
            .set("a4", "en-GB")
            .build());
    Instant now = Instant.now();
    token =
        new TokenClaims(
            UUID.randomUUID().toString(), "alice", now.minusSeconds(10), now.plusSeconds(3600));
  }

  /** Stops everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    tokens.close();
    store.close();
    NearCache n = near;
    if (n != null) {
      n.close();
    }
    connector.close();
    redis.close();
  }

  /**
   * @return the session (from memory with the near cache, unless a touch is due)
   */
  @Benchmark
  public AccessResult access() {
    return store.access(id, AccessMode.EXTEND);
  }

  /**
   * @return whether one attribute was changed (with the near cache: plus one PUBLISH)
   */
  @Benchmark
  public boolean update() {
    return store.update(id, change);
  }

  /**
   * @return the token's state (from memory with the near cache)
   */
  @Benchmark
  public TokenCheck tokenCheck() {
    return tokens.check(token);
  }
}
