package io.sessionkit.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sessionkit.redis.NearCache;
import io.sessionkit.redis.NearCachedSessionStore;
import io.sessionkit.redis.NearCachedTokenRevocationService;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Binds the Redis near cache like any other cache (the names of Micrometer's cache binders): {@code
 * cache.gets{result=hit|miss}}, {@code cache.size} and {@code cache.evictions}, tagged {@code
 * cache=}{@value #SESSIONS_CACHE} or {@value #TOKENS_CACHE}; and {@value #SUBSCRIBED}, 1 while the
 * near cache's invalidation subscription is up (it serves from memory) and 0 while it is down
 * (every call goes to Redis).
 *
 * <p>Every meter reads counters the near cache keeps anyway; binding costs no Redis command. The
 * meters hold strong references to the near cache and its views.
 *
 * <pre>{@code
 * NearCache near = NearCache.create(connector, NearCacheOptions.defaults());
 * NearCachedSessionStore sessions = near.sessions(redisStore);
 * NearCacheMetrics.of(near).sessions(sessions).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Requires {@code session-redis} on the class path. Immutable; thread-safe.
 */
public final class NearCacheMetrics implements MeterBinder {
  /** The {@code cache} tag of the session cache: {@value}. */
  public static final String SESSIONS_CACHE = "sessionkit.sessions";

  /** The {@code cache} tag of the token answer cache: {@value}. */
  public static final String TOKENS_CACHE = "sessionkit.tokens";

  /** The subscription gauge: {@value}. */
  public static final String SUBSCRIBED = "sessionkit.nearcache.subscribed";

  private final NearCache near;
  private final @Nullable NearCachedSessionStore sessions;
  private final @Nullable NearCachedTokenRevocationService tokens;
  private final Tags tags;

  private NearCacheMetrics(
      NearCache near,
      @Nullable NearCachedSessionStore sessions,
      @Nullable NearCachedTokenRevocationService tokens,
      Tags tags) {
    this.near = near;
    this.sessions = sessions;
    this.tokens = tokens;
    this.tags = tags;
  }

  /**
   * The subscription gauge of a near cache; add its views with {@link #sessions} and {@link
   * #tokens}.
   *
   * @param near the near cache
   * @return the binder
   */
  public static NearCacheMetrics of(NearCache near) {
    return new NearCacheMetrics(Objects.requireNonNull(near, "near"), null, null, Tags.empty());
  }

  /**
   * Also binds the session view.
   *
   * @param sessions a session store made by this near cache
   * @return a new binder
   */
  public NearCacheMetrics sessions(NearCachedSessionStore sessions) {
    return new NearCacheMetrics(near, Objects.requireNonNull(sessions, "sessions"), tokens, tags);
  }

  /**
   * Also binds the token view.
   *
   * @param tokens a revocation service made by this near cache
   * @return a new binder
   */
  public NearCacheMetrics tokens(NearCachedTokenRevocationService tokens) {
    return new NearCacheMetrics(near, sessions, Objects.requireNonNull(tokens, "tokens"), tags);
  }

  /**
   * Adds tags to every meter (keep them low-cardinality).
   *
   * @param extra the tags
   * @return a new binder
   */
  public NearCacheMetrics tags(Iterable<Tag> extra) {
    return new NearCacheMetrics(near, sessions, tokens, tags.and(extra));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(SUBSCRIBED, near, n -> n.isServing() ? 1 : 0)
        .description(
            "1 while the near cache's invalidation subscription is up and it serves from memory, else 0")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    NearCachedSessionStore s = sessions;
    if (s != null) {
      bind(
          registry,
          SESSIONS_CACHE,
          s,
          NearCachedSessionStore::hitCount,
          NearCachedSessionStore::missCount,
          NearCachedSessionStore::size,
          NearCachedSessionStore::evictionCount);
    }
    NearCachedTokenRevocationService t = tokens;
    if (t != null) {
      bind(
          registry,
          TOKENS_CACHE,
          t,
          NearCachedTokenRevocationService::hitCount,
          NearCachedTokenRevocationService::missCount,
          NearCachedTokenRevocationService::size,
          NearCachedTokenRevocationService::evictionCount);
    }
  }

  private <C> void bind(
      MeterRegistry registry,
      String cache,
      C c,
      ToDoubleFunction<C> hits,
      ToDoubleFunction<C> misses,
      ToDoubleFunction<C> size,
      ToDoubleFunction<C> evictions) {
    Tags t = tags.and("cache", cache);
    FunctionCounter.builder("cache.gets", c, hits)
        .tags(t)
        .tag("result", "hit")
        .description("Reads answered from this process's memory")
        .register(registry);
    FunctionCounter.builder("cache.gets", c, misses)
        .tags(t)
        .tag("result", "miss")
        .description("Reads that went to Redis")
        .register(registry);
    Gauge.builder("cache.size", c, size)
        .tags(t)
        .strongReference(true)
        .description("Entries held (an estimate)")
        .register(registry);
    FunctionCounter.builder("cache.evictions", c, evictions)
        .tags(t)
        .description("Entries dropped for lack of room or past their maximum age")
        .register(registry);
  }

  @Override
  public String toString() {
    return "NearCacheMetrics{"
        + near.channel()
        + (sessions != null ? ", sessions" : "")
        + (tokens != null ? ", tokens" : "")
        + '}';
  }
}
