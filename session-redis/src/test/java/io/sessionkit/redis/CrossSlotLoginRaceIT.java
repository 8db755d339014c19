package io.sessionkit.redis;

import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CrossSlotLoginRaces} on a standalone Redis, each server's connection through a {@link
 * RaceDelayProxy} that holds every chunk for a random 0 to 2 ms, so that every step of a login can
 * have the other server's calls between it and the next.
 */
class CrossSlotLoginRaceIT extends CrossSlotLoginRaces {
  private static RedisServer redis;
  private static RaceDelayProxy proxy;
  private static RedisConnector a;
  private static RedisConnector b;

  @BeforeAll
  static void start() throws Exception {
    System.out.println("CrossSlotLoginRaceIT seed=" + SEED);
    redis = RedisServers.standalone();
    proxy = new RaceDelayProxy(redis.host(), redis.port(), SEED, 2_000);
    a = RedisConnector.connect(RedisOptions.fromUri(proxy.uri()));
    b = RedisConnector.connect(RedisOptions.fromUri(proxy.uri()));
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
    proxy.close();
    redis.close();
  }

  @Override
  RedisConnector serverA() {
    return a;
  }

  @Override
  RedisConnector serverB() {
    return b;
  }

  @Override
  void flushAll() {
    redis.flushAll();
  }
}
