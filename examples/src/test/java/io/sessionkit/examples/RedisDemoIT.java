package io.sessionkit.examples;

import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The demo's behaviours with each node on its own connection to one real Redis (a redis-server this
 * test starts, or {@code REDIS_URL}), as two servers would be.
 */
class RedisDemoIT extends DemoBehaviourSuite {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.standalone();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  void reset() {
    redis.flushAll();
  }

  @Override
  DemoSettings settings() {
    return DemoSettings.defaults().withRedis(redis.uri());
  }
}
