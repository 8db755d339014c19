package io.sessionkit.servlet.testsupport;

import io.sessionkit.core.SessionStore;
import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code ServletContextListener} a {@code web.xml} application declares to hand its store to a
 * {@code web.xml}-declared {@link SessionFilter}: it puts the store in the context attribute {@link
 * SessionFilter#STORE_ATTRIBUTE} before filters initialize. Tests set {@link #STORE} first.
 */
public final class StoreBootstrap implements ServletContextListener {
  /** The store the next context gets. */
  public static final AtomicReference<SessionStore> STORE = new AtomicReference<>();

  @Override
  public void contextInitialized(ServletContextEvent event) {
    event.getServletContext().setAttribute(SessionFilter.STORE_ATTRIBUTE, STORE.get());
  }
}
