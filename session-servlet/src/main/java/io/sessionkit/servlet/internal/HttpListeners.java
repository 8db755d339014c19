package io.sessionkit.servlet.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EventListener;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servlet session listeners of one filter (the builder's and the container's, each instance
 * once) and the one place that calls them. A listener that throws is logged and the others are
 * still called: a listener never breaks the request, and an invalidation always completes.
 *
 * <p>Immutable and thread-safe.
 */
public final class HttpListeners {
  private static final Logger LOG = LoggerFactory.getLogger(HttpListeners.class);

  /** No listeners. */
  public static final HttpListeners NONE = new HttpListeners(List.of(), List.of(), List.of());

  private final List<HttpSessionListener> sessions;
  private final List<HttpSessionIdListener> ids;
  private final List<HttpSessionAttributeListener> attributes;

  private HttpListeners(
      List<HttpSessionListener> sessions,
      List<HttpSessionIdListener> ids,
      List<HttpSessionAttributeListener> attributes) {
    this.sessions = List.copyOf(sessions);
    this.ids = List.copyOf(ids);
    this.attributes = List.copyOf(attributes);
  }

  /**
   * @param listeners any event listeners; those of the three session types are kept, each instance
   *     once, in order
   * @return the set
   */
  public static HttpListeners of(Collection<? extends EventListener> listeners) {
    Set<EventListener> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<HttpSessionListener> sessions = new ArrayList<>();
    List<HttpSessionIdListener> ids = new ArrayList<>();
    List<HttpSessionAttributeListener> attributes = new ArrayList<>();
    for (EventListener l : listeners) {
      if (l == null || !seen.add(l)) {
        continue;
      }
      if (l instanceof HttpSessionListener s) {
        sessions.add(s);
      }
      if (l instanceof HttpSessionIdListener i) {
        ids.add(i);
      }
      if (l instanceof HttpSessionAttributeListener a) {
        attributes.add(a);
      }
    }
    return new HttpListeners(sessions, ids, attributes);
  }

  /**
   * The listeners a filter calls: those given to its builder, then those registered with the
   * container (see {@link ContainerListeners}), each instance once.
   *
   * @param builderListeners the builder's
   * @param context the application's context, after its listeners started
   * @return the set
   */
  public static HttpListeners forFilter(
      List<EventListener> builderListeners, ServletContext context) {
    List<EventListener> all = new ArrayList<>(builderListeners);
    all.addAll(ContainerListeners.of(context));
    return of(all);
  }

  /**
   * @return whether any attribute listener is registered (attribute events cost a decode on
   *     invalidate)
   */
  public boolean hasAttributeListeners() {
    return !attributes.isEmpty();
  }

  /**
   * @return how many distinct listeners of the three types there are
   */
  public int size() {
    Set<Object> all = Collections.newSetFromMap(new IdentityHashMap<>());
    all.addAll(sessions);
    all.addAll(ids);
    all.addAll(attributes);
    return all.size();
  }

  void created(HttpSession s) {
    if (!sessions.isEmpty()) {
      HttpSessionEvent e = new HttpSessionEvent(s);
      each(sessions, "sessionCreated", l -> l.sessionCreated(e));
    }
  }

  void destroyed(HttpSession s) {
    if (!sessions.isEmpty()) {
      HttpSessionEvent e = new HttpSessionEvent(s);
      each(sessions, "sessionDestroyed", l -> l.sessionDestroyed(e));
    }
  }

  void idChanged(HttpSession s, String oldHandle) {
    if (!ids.isEmpty()) {
      HttpSessionEvent e = new HttpSessionEvent(s);
      each(ids, "sessionIdChanged", l -> l.sessionIdChanged(e, oldHandle));
    }
  }

  void attributeAdded(HttpSession s, String name, Object value) {
    if (!attributes.isEmpty()) {
      HttpSessionBindingEvent e = new HttpSessionBindingEvent(s, name, value);
      each(attributes, "attributeAdded", l -> l.attributeAdded(e));
    }
  }

  /**
   * @param oldValue the value replaced, as the Servlet spec has it
   */
  void attributeReplaced(HttpSession s, String name, Object oldValue) {
    if (!attributes.isEmpty()) {
      HttpSessionBindingEvent e = new HttpSessionBindingEvent(s, name, oldValue);
      each(attributes, "attributeReplaced", l -> l.attributeReplaced(e));
    }
  }

  void attributeRemoved(HttpSession s, String name, Object oldValue) {
    if (!attributes.isEmpty()) {
      HttpSessionBindingEvent e = new HttpSessionBindingEvent(s, name, oldValue);
      each(attributes, "attributeRemoved", l -> l.attributeRemoved(e));
    }
  }

  private static <L> void each(List<L> listeners, String method, Consumer<L> call) {
    for (L l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn(
            "{} {} threw from {}; ignored", listenerType(l), l.getClass().getName(), method, e);
      }
    }
  }

  private static String listenerType(Object l) {
    return l instanceof HttpSessionAttributeListener
        ? "HttpSessionAttributeListener"
        : l instanceof HttpSessionIdListener ? "HttpSessionIdListener" : "HttpSessionListener";
  }
}
