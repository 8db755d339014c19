package io.sessionkit.servlet;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.servlet.testsupport.RedisCommandProxy;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.IOException;

/**
 * The HttpSession behaviour over the Redis store and a real redis-server; store cost is counted in
 * Redis commands, through a counting proxy. A subclass names the container.
 */
abstract class RedisHttpSessionSuite extends HttpSessionBehaviourSuite {
  private RedisServer redis;
  private RedisCommandProxy proxy;

  @Override
  protected SessionStore createStore(SessionConfig config) {
    redis = RedisServers.standalone();
    redis.flushAll();
    try {
      proxy = new RedisCommandProxy(redis.host(), redis.port());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return RedisSessionStore.create(
        RedisOptions.fromUri(proxy.uriFor(redis.uri(), redis.address())), config);
  }

  @Override
  protected long backendCalls() {
    return proxy.commands();
  }

  @Override
  protected void closeStore() {
    try {
      super.closeStore();
    } finally {
      if (proxy != null) {
        proxy.close();
      }
      if (redis != null) {
        redis.close();
      }
    }
  }
}
