package io.sessionkit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers session events to every listener of a {@link SessionConfig}, plus {@link AuditLog} when
 * {@link SessionConfig#auditLogging()} is on. Each listener is called in registration order (the
 * audit log last) on the calling thread; an exception from one listener is logged (without the
 * event's details beyond the handle) and swallowed, so it never stops the others nor undoes the
 * operation. Stores call it after the operation took effect and after releasing their locks.
 *
 * <p>Immutable and thread-safe.
 */
public final class SessionListeners implements SessionListener {
  private static final Logger LOG = LoggerFactory.getLogger(SessionListeners.class);

  private final List<SessionListener> listeners;

  private SessionListeners(List<SessionListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /**
   * The dispatcher for a store's configuration.
   *
   * @param config the configuration
   * @return a listener that forwards to the configured ones
   */
  public static SessionListeners of(SessionConfig config) {
    List<SessionListener> all = new ArrayList<>(config.listeners());
    if (config.auditLogging()) {
      all.add(AuditLog.instance());
    }
    return new SessionListeners(all);
  }

  /**
   * @return whether there is no listener at all, so events need not even be built
   */
  public boolean isEmpty() {
    return listeners.isEmpty();
  }

  @Override
  public void sessionCreated(SessionEvent event) {
    each("sessionCreated", l -> l.sessionCreated(event));
  }

  @Override
  public void sessionEnded(SessionEvent event, EndReason reason) {
    each("sessionEnded", l -> l.sessionEnded(event, reason));
  }

  @Override
  public void sessionIdChanged(SessionEvent event, String previousHandle) {
    each("sessionIdChanged", l -> l.sessionIdChanged(event, previousHandle));
  }

  @Override
  public void invalidIdPresented(String source) {
    each("invalidIdPresented", l -> l.invalidIdPresented(source));
  }

  @Override
  public void attributeRejected(SessionEvent event, String attributeName) {
    each("attributeRejected", l -> l.attributeRejected(event, attributeName));
  }

  @Override
  public void loginRejected(String userId) {
    each("loginRejected", l -> l.loginRejected(userId));
  }

  private void each(String method, Consumer<SessionListener> call) {
    for (SessionListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        // A listener is the application's code: its failure must not fail or undo the operation.
        LOG.warn("session listener {} threw from {}; ignored", l.getClass().getName(), method, e);
      }
    }
  }
}
