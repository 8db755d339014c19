package io.sessionkit.testkit;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.SessionEvent;
import io.sessionkit.core.SessionListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionListener} that records every event with its arguments, in the order received, for
 * tests to assert on.
 *
 * <p>Thread-safe: events from many threads are recorded without loss; accessors return immutable
 * snapshots.
 */
public final class RecordingSessionListener implements SessionListener {

  /** The kind of a recorded event: one per {@link SessionListener} method. */
  public enum Kind {
    /** {@link SessionListener#sessionCreated}. */
    CREATED,
    /** {@link SessionListener#sessionEnded}. */
    ENDED,
    /** {@link SessionListener#sessionIdChanged}. */
    ID_CHANGED,
    /** {@link SessionListener#invalidIdPresented}. */
    INVALID_ID,
    /** {@link SessionListener#attributeRejected}. */
    ATTRIBUTE_REJECTED,
    /** {@link SessionListener#loginRejected}. */
    LOGIN_REJECTED
  }

  /**
   * One recorded event.
   *
   * @param kind which method was called
   * @param event the session event, or null for {@link Kind#INVALID_ID} and {@link
   *     Kind#LOGIN_REJECTED}
   * @param reason the end reason of {@link Kind#ENDED}, else null
   * @param detail the previous handle ({@link Kind#ID_CHANGED}), the source ({@link
   *     Kind#INVALID_ID}), the attribute name ({@link Kind#ATTRIBUTE_REJECTED}) or the user ({@link
   *     Kind#LOGIN_REJECTED}); else null
   */
  public record Recorded(
      Kind kind,
      @Nullable SessionEvent event,
      @Nullable EndReason reason,
      @Nullable String detail) {
    /**
     * Validates.
     *
     * @param kind the kind
     * @param event the event or null
     * @param reason the reason or null
     * @param detail the detail or null
     */
    public Recorded {
      Objects.requireNonNull(kind, "kind");
    }
  }

  private final List<Recorded> events = new CopyOnWriteArrayList<>();

  /** Creates an empty recorder. */
  public RecordingSessionListener() {}

  @Override
  public void sessionCreated(SessionEvent event) {
    events.add(new Recorded(Kind.CREATED, event, null, null));
  }

  @Override
  public void sessionEnded(SessionEvent event, EndReason reason) {
    events.add(new Recorded(Kind.ENDED, event, reason, null));
  }

  @Override
  public void sessionIdChanged(SessionEvent event, String previousHandle) {
    events.add(new Recorded(Kind.ID_CHANGED, event, null, previousHandle));
  }

  @Override
  public void invalidIdPresented(String source) {
    events.add(new Recorded(Kind.INVALID_ID, null, null, source));
  }

  @Override
  public void attributeRejected(SessionEvent event, String attributeName) {
    events.add(new Recorded(Kind.ATTRIBUTE_REJECTED, event, null, attributeName));
  }

  @Override
  public void loginRejected(String userId) {
    events.add(new Recorded(Kind.LOGIN_REJECTED, null, null, userId));
  }

  /**
   * @return every event so far, in order
   */
  public List<Recorded> events() {
    return List.copyOf(events);
  }

  /**
   * The events of one kind.
   *
   * @param kind the kind
   * @return those events, in order
   */
  public List<Recorded> events(Kind kind) {
    return events.stream().filter(e -> e.kind() == kind).collect(Collectors.toUnmodifiableList());
  }

  /**
   * @return the session events of {@link SessionListener#sessionCreated}, in order
   */
  public List<SessionEvent> created() {
    return sessionEvents(Kind.CREATED);
  }

  /**
   * @return the {@link Kind#ENDED} records, each with its reason, in order
   */
  public List<Recorded> ended() {
    return events(Kind.ENDED);
  }

  /**
   * The end reasons reported for one handle.
   *
   * @param handle a session handle
   * @return the reasons, in order
   */
  public List<EndReason> endReasonsOf(String handle) {
    return events.stream()
        .filter(
            e -> e.kind() == Kind.ENDED && e.event() != null && e.event().handle().equals(handle))
        .map(Recorded::reason)
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * @return the {@link Kind#ID_CHANGED} records (the new handle in the event, the old in detail)
   */
  public List<Recorded> idChanges() {
    return events(Kind.ID_CHANGED);
  }

  /**
   * @return the sources of every invalid id presented, in order
   */
  public List<String> invalidIdSources() {
    return details(Kind.INVALID_ID);
  }

  /**
   * @return the names of rejected attributes, in order
   */
  public List<String> rejectedAttributes() {
    return details(Kind.ATTRIBUTE_REJECTED);
  }

  /**
   * @return the users whose logins were rejected, in order
   */
  public List<String> rejectedLogins() {
    return details(Kind.LOGIN_REJECTED);
  }

  /** Forgets every event recorded so far. */
  public void clear() {
    events.clear();
  }

  private List<SessionEvent> sessionEvents(Kind kind) {
    return events.stream()
        .filter(e -> e.kind() == kind && e.event() != null)
        .map(e -> Objects.requireNonNull(e.event()))
        .collect(Collectors.toUnmodifiableList());
  }

  private List<String> details(Kind kind) {
    return events.stream()
        .filter(e -> e.kind() == kind && e.detail() != null)
        .map(e -> Objects.requireNonNull(e.detail()))
        .collect(Collectors.toUnmodifiableList());
  }

  @Override
  public String toString() {
    return "RecordingSessionListener" + events;
  }
}
