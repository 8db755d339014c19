package io.sessionkit.servlet.testsupport;

import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A session listener an application declares with {@code @WebListener} alone: the container finds
 * it by scanning {@code WEB-INF/classes}. Records its events in {@link #EVENTS}.
 */
@WebListener
public class AnnotatedHttpListener implements HttpSessionListener, HttpSessionIdListener, HttpSessionAttributeListener {
  /** The events, named as in {@link RecordingHttpListener#EVENTS}. */
  public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  @Override
  public void sessionCreated(HttpSessionEvent se) {
    EVENTS.add("created");
  }

  @Override
  public void sessionDestroyed(HttpSessionEvent se) {
    EVENTS.add("destroyed");
  }

  @Override
  public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
    EVENTS.add("idChanged");
  }

  @Override
  public void attributeAdded(HttpSessionBindingEvent event) {
    EVENTS.add("added:" + event.getName() + "=" + event.getValue());
  }

  @Override
  public void attributeRemoved(HttpSessionBindingEvent event) {
    EVENTS.add("removed:" + event.getName() + "=" + event.getValue());
  }

  @Override
  public void attributeReplaced(HttpSessionBindingEvent event) {
    EVENTS.add("replaced:" + event.getName() + "=" + event.getValue());
  }
}
