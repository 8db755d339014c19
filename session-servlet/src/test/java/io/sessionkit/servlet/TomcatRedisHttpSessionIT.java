package io.sessionkit.servlet;

import io.sessionkit.servlet.testsupport.Container;

/**
 * The HttpSession behaviour on embedded Tomcat 11 over the Redis store and a real redis-server;
 * store cost is counted in Redis commands, through a counting proxy.
 */
class TomcatRedisHttpSessionIT extends RedisHttpSessionSuite {
  @Override
  protected Container container() {
    return Container.TOMCAT;
  }
}
