package io.sessionkit.servlet.testsupport;

import jakarta.servlet.annotation.WebListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A session listener an application declares with {@code @WebListener} alone: the container finds
 * it by scanning {@code WEB-INF/classes}. Records its events in {@link #ANNOTATED_EVENTS}, named as
 * {@link RecordingHttpListener} names them.
 */
@WebListener
public class AnnotatedHttpListener extends RecordingHttpListener {
  /** The events this listener saw. */
  public static final List<String> ANNOTATED_EVENTS = new CopyOnWriteArrayList<>();

  /** Made by the container. */
  public AnnotatedHttpListener() {
    super(ANNOTATED_EVENTS);
  }
}
