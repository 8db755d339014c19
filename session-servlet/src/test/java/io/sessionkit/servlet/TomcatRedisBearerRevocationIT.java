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

  @Override
  protected Container container() {
    return Container.TOMCAT;
  }

  @Override
  protected TokenRevocationService createService(RevocationConfig config) {
    redis = RedisServers.standalone();
    redis.flushAll();
    // The suite stamps tokens before the service starts: declare the emptied store new, or the flush
    // defence would refuse them as issued before the store lost its memory.
    try (RedisConnector connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()))) {
      RedisTokenRevocationService.adoptStore(connector, Instant.EPOCH);
    }
    service = RedisTokenRevocationService.create(RedisOptions.fromUri(redis.uri()), config, null);
    return service;
  }

  @Override
  protected void closeService() {
    try {
      service.close();
    } finally {
      redis.close();
    }
  }
}
