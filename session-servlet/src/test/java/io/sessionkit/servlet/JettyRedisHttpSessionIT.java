package io.sessionkit.servlet;

import io.sessionkit.servlet.testsupport.Container;

/**
 * The HttpSession behaviour on embedded Jetty 12 over the Redis store and a real redis-server;
 * store cost is counted in Redis commands, through a counting proxy.
 */
class JettyRedisHttpSessionIT extends RedisHttpSessionSuite {
  @Override
  protected Container container() {
    return Container.JETTY;
  }
}
