package io.sessionkit.micrometer;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.redis.RedisTokenRevocationService;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The meter contract on the Redis store and revocation service, on a redis-server of its own. */
class RedisMeterIT extends MeterContract {
  private static RedisServer redis;
  private static RedisConnector connector;

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.startLocal();
    // revokeAllIssuedBefore pipelines 4,096 scripts: give a busy build machine time to answer them.
    connector =
        RedisConnector.connect(
            RedisOptions.fromUri(redis.uri()).toBuilder()
                .commandTimeout(Duration.ofSeconds(10))
                .build());
  }

  @AfterAll
  static void stopRedis() {
    connector.close();
    redis.close();
  }

  @BeforeEach
  void flush() {
    redis.flushAll();
  }

  @Override
  SessionStore newStore(SessionConfig config) {
    return RedisSessionStore.create(connector, config);
  }

  @Override
  TokenRevocationService newTokens(RevocationConfig config, SessionStore sessions) {
    return RedisTokenRevocationService.create(connector, config, sessions);
  }
}
