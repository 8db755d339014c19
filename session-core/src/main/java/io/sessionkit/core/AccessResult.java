package io.sessionkit.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of {@link SessionStore#access(String, AccessMode)}: a live session, a session that
 * ended with a known reason (while its tombstone lasts), or nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class AccessResult {
  private static final AccessResult ABSENT = new AccessResult(null, null);

  private final @Nullable Session session;
  private final @Nullable EndReason endReason;

  private AccessResult(@Nullable Session session, @Nullable EndReason endReason) {
    this.session = session;
    this.endReason = endReason;
  }

  /**
   * A live session.
   *
   * @param session the session
   * @return the result
   */
  public static AccessResult active(Session session) {
    return new AccessResult(Objects.requireNonNull(session, "session"), null);
  }

  /**
   * A session that ended for a known reason.
   *
   * @param reason why it ended
   * @return the result
   */
  public static AccessResult ended(EndReason reason) {
    return new AccessResult(null, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * No session: unknown, malformed, expired long ago, or renewed.
   *
   * @return the result
   */
  public static AccessResult absent() {
    return ABSENT;
  }

  /**
   * @return whether a live session was found
   */
  public boolean isActive() {
    return session != null;
  }

  /**
   * @return the live session, empty if none
   */
  public Optional<Session> session() {
    return Optional.ofNullable(session);
  }

  /**
   * @return why the session ended, empty if it is live or the reason is not known
   */
  public Optional<EndReason> endReason() {
    return Optional.ofNullable(endReason);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AccessResult r
        && Objects.equals(session, r.session)
        && endReason == r.endReason;
  }

  @Override
  public int hashCode() {
    return Objects.hash(session, endReason);
  }

  @Override
  public String toString() {
    return session != null
        ? "AccessResult{active " + session.handle() + '}'
        : endReason != null ? "AccessResult{ended " + endReason + '}' : "AccessResult{absent}";
  }
}
