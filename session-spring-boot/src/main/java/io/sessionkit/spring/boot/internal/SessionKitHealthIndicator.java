package io.sessionkit.spring.boot.internal;

import io.sessionkit.redis.HealthReport;
import io.sessionkit.redis.NearCache;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisHealthCheck;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code sessionkit} health indicator: a {@link RedisHealthCheck} of the connection the store
 * uses (UP, DOWN, or {@link #DEGRADED} when the near cache has lost its subscription), or, for the
 * in-memory store, UP with a detail saying the sessions are not shared. Details name no id, token,
 * user or password (the Redis URI is shown masked).
 */
public final class SessionKitHealthIndicator implements HealthIndicator {
  /** The store serves and keeps its guarantees, but slower: the near cache is not subscribed. */
  public static final Status DEGRADED =
      new Status("DEGRADED", "the store works, but the near cache is not subscribed");

  private final @Nullable RedisServices redis;

  private SessionKitHealthIndicator(@Nullable RedisServices redis) {
    this.redis = redis;
  }

  /**
   * @param redis the Redis services the store uses
   * @return an indicator checking them
   */
  public static SessionKitHealthIndicator redis(RedisServices redis) {
    return new SessionKitHealthIndicator(redis);
  }

  /**
   * @return an indicator for the in-memory store: always UP, not shared
   */
  public static SessionKitHealthIndicator inMemory() {
    return new SessionKitHealthIndicator(null);
  }

  @Override
  public Health health() {
    RedisServices r = redis;
    if (r == null) {
      return Health.up()
          .withDetail("store", "memory")
          .withDetail(
              "shared",
              "no: sessions are kept in this instance's memory, not shared with other instances,"
                  + " and lost on restart")
          .build();
    }
    String at = BootRedisOptions.describe(r.options());
    RedisConnector connector = r.connector();
    if (connector == null) {
      return Health.down()
          .withDetail("store", "redis")
          .withDetail("at", at)
          .withDetail("redis", "not connected yet (sessionkit.redis.lazy-connect=true)")
          .build();
    }
    RedisHealthCheck.Builder check = RedisHealthCheck.builder(connector);
    NearCache near = r.nearCache();
    if (near != null) {
      check.nearCache(near);
    }
    HealthReport report = check.build().check();
    Health.Builder b =
        switch (report.status()) {
          case UP -> Health.up();
          case DOWN -> Health.down();
          case DEGRADED -> Health.status(DEGRADED);
        };
    b.withDetail("store", "redis").withDetail("at", at);
    report.details().forEach(b::withDetail);
    return b.build();
  }

  @Override
  public String toString() {
    return "SessionKitHealthIndicator{" + (redis != null ? redis : "memory") + '}';
  }
}
