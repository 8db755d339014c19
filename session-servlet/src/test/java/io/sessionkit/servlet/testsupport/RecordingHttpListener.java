package io.sessionkit.servlet.testsupport;

import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A session, id and attribute listener as an application registers it with the container ({@code
 * <listener>}, {@code ServletContext.addListener}; Spring's {@code HttpSessionEventPublisher} is
 * one of these): it records each event in {@link #EVENTS}, static because the container makes the
 * instance.
 */
public class RecordingHttpListener
    implements HttpSessionListener, HttpSessionIdListener, HttpSessionAttributeListener {
  /**
   * The events, e.g. {@code created}, {@code added:a=1}, {@code replaced:a=1} (old value), {@code
   * idChanged}.
   */
  public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  private final List<String> events;

  /** Records into {@link #EVENTS}. */
  public RecordingHttpListener() {
    this(EVENTS);
  }

  /**
   * Records into another list.
   *
   * @param events where to record
   */
  protected RecordingHttpListener(List<String> events) {
    this.events = events;
  }

  @Override
  public void sessionCreated(HttpSessionEvent se) {
    events.add("created");
  }

  @Override
  public void sessionDestroyed(HttpSessionEvent se) {
    events.add("destroyed");
  }

  @Override
  public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
    events.add("idChanged" + (oldSessionId.equals(event.getSession().getId()) ? "(same!)" : ""));
  }

  @Override
  public void attributeAdded(HttpSessionBindingEvent event) {
    events.add("added:" + event.getName() + "=" + event.getValue());
  }

  @Override
  public void attributeRemoved(HttpSessionBindingEvent event) {
    events.add("removed:" + event.getName() + "=" + event.getValue());
  }

  @Override
  public void attributeReplaced(HttpSessionBindingEvent event) {
    events.add("replaced:" + event.getName() + "=" + event.getValue());
  }

  /** A listener of the same three kinds whose every method throws: it must not break a request. */
  public static final class Throwing
      implements HttpSessionListener, HttpSessionIdListener, HttpSessionAttributeListener {
    @Override
    public void sessionCreated(HttpSessionEvent se) {
      throw new IllegalStateException("sessionCreated failure (test)");
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
      throw new IllegalStateException("sessionDestroyed failure (test)");
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
      throw new IllegalStateException("sessionIdChanged failure (test)");
    }

    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
      throw new IllegalStateException("attributeAdded failure (test)");
    }

    @Override
    public void attributeRemoved(HttpSessionBindingEvent event) {
      throw new IllegalStateException("attributeRemoved failure (test)");
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
      throw new IllegalStateException("attributeReplaced failure (test)");
    }
  }
}
