package io.sessionkit.servlet;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.servlet.testsupport.Container;

/** The HttpSession behaviour on embedded Tomcat 11 over the in-memory store. */
class TomcatInMemoryHttpSessionIT extends HttpSessionBehaviourSuite {
  @Override
  protected Container container() {
    return Container.TOMCAT;
  }

  @Override
  protected SessionStore createStore(SessionConfig config) {
    return InMemorySessionStore.create(config);
  }
}
