package io.sessionkit.testkit;

import io.sessionkit.core.RevocationListener;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RevocationListener} that records every event with its arguments, in the order received.
 *
 * <p>Thread-safe; accessors return immutable snapshots.
 */
public final class RecordingRevocationListener implements RevocationListener {

  /** The kind of a recorded event: one per {@link RevocationListener} method. */
  public enum Kind {
    /** {@link RevocationListener#tokenRevoked}. */
    TOKEN_REVOKED,
    /** {@link RevocationListener#userRevoked}. */
    USER_REVOKED,
    /** {@link RevocationListener#allRevoked}. */
    ALL_REVOKED,
    /** {@link RevocationListener#refreshTokenReused}. */
    REFRESH_TOKEN_REUSED,
    /** {@link RevocationListener#refreshTokenReplayed}. */
    REFRESH_TOKEN_REPLAYED,
    /** {@link RevocationListener#memoryLossDetected}. */
    MEMORY_LOSS_DETECTED
  }

  /**
   * One recorded event.
   *
   * @param kind which method was called
   * @param key the token digest ({@link Kind#TOKEN_REVOKED}), the user ({@link Kind#USER_REVOKED}),
   *     the family handle ({@link Kind#REFRESH_TOKEN_REUSED}, {@link Kind#REFRESH_TOKEN_REPLAYED}),
   *     or null ({@link Kind#ALL_REVOKED}, {@link Kind#MEMORY_LOSS_DETECTED})
   * @param subject the subject of a token or refresh family, or null
   * @param notBefore the watermark of {@link Kind#USER_REVOKED}, {@link Kind#ALL_REVOKED} and
   *     {@link Kind#MEMORY_LOSS_DETECTED}, else null
   */
  public record Recorded(
      Kind kind, @Nullable String key, @Nullable String subject, @Nullable Instant notBefore) {
    /**
     * Validates.
     *
     * @param kind the kind
     * @param key the key or null
     * @param subject the subject or null
     * @param notBefore the watermark or null
     */
    public Recorded {
      Objects.requireNonNull(kind, "kind");
    }
  }

  private final List<Recorded> events = new CopyOnWriteArrayList<>();

  /** Creates an empty recorder. */
  public RecordingRevocationListener() {}

  @Override
  public void tokenRevoked(String tokenDigest, @Nullable String subject) {
    events.add(new Recorded(Kind.TOKEN_REVOKED, tokenDigest, subject, null));
  }

  @Override
  public void userRevoked(String userId, Instant notBefore) {
    events.add(new Recorded(Kind.USER_REVOKED, userId, userId, notBefore));
  }

  @Override
  public void allRevoked(Instant notBefore) {
    events.add(new Recorded(Kind.ALL_REVOKED, null, null, notBefore));
  }

  @Override
  public void refreshTokenReused(String familyHandle, String subject) {
    events.add(new Recorded(Kind.REFRESH_TOKEN_REUSED, familyHandle, subject, null));
  }

  @Override
  public void refreshTokenReplayed(String familyHandle, String subject) {
    events.add(new Recorded(Kind.REFRESH_TOKEN_REPLAYED, familyHandle, subject, null));
  }

  @Override
  public void memoryLossDetected(Instant notBefore) {
    events.add(new Recorded(Kind.MEMORY_LOSS_DETECTED, null, null, notBefore));
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

  /** Forgets every event recorded so far. */
  public void clear() {
    events.clear();
  }

  @Override
  public String toString() {
    return "RecordingRevocationListener" + events;
  }
}
