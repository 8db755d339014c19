package io.sessionkit.servlet;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisTokenRevocationService;
import io.sessionkit.servlet.testsupport.Container;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Instant;

/** {@link BearerRevocationFilter} on embedded Tomcat 11 over the Redis revocation service. */
class TomcatRedisBearerRevocationIT extends BearerRevocationSuite {
  private RedisServer redis;
  private RedisTokenRevocationService service;
  private RedisServer deadRedis;
  private RedisTokenRevocationService deadService;

  @Override
  protected Container container() {
    return Container.TOMCAT;
  }

  @Override
  protected TokenRevocationService createService(RevocationConfig config) {
    redis = RedisServers.standalone();
    redis.flushAll();
    // The suite stamps tokens before the service starts: declare the emptied store new, or the
    // flush
    // defence would refuse them as issued before the store lost its memory.
    try (RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()))) {
      RedisTokenRevocationService.adoptStore(connector, Instant.EPOCH);
    }
    service = RedisTokenRevocationService.create(RedisOptions.fromUri(redis.uri()), config, null);
    return service;
  }

  /** A service over a redis-server that is killed before any request: a real outage. */
  @Override
  protected TokenRevocationService createDownService(RevocationConfig config) {
    deadRedis = RedisServers.startLocal();
    deadService =
        RedisTokenRevocationService.create(RedisOptions.fromUri(deadRedis.uri()), config, null);
    deadRedis.kill();
    return deadService;
  }

  @Override
  protected void closeService() {
    try {
      service.close();
      if (deadService != null) {
        deadService.close();
      }
    } finally {
      redis.close();
      if (deadRedis != null) {
        deadRedis.close();
      }
    }
  }
}
