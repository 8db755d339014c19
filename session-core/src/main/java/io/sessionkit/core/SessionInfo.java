package io.sessionkit.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What may be shown about a session without revealing its id: its handle, user, times and device
 * metadata. This is what {@link SessionStore#listForUser(String)} returns for a "your devices"
 * page, and what an administrator revokes by ({@link SessionStore#deleteByHandle}).
 *
 * <p>The handle is a truncated SHA-256 digest of the id: stable for the life of the id, never
 * reversible to it, and useless as a login. Immutable and thread-safe.
 */
public final class SessionInfo {
  private final String handle;
  private final @Nullable String userId;
  private final Instant createdAt;
  private final Instant lastAccessedAt;
  private final Instant expiresAt;
  private final @Nullable Instant authenticatedAt;
  private final SessionMetadata metadata;

  /**
   * Creates a session description; for {@link SessionStore} implementations.
   *
   * @param handle the non-secret handle
   * @param userId the user, or null for an anonymous session
   * @param createdAt when the session was created
   * @param lastAccessedAt when it was last touched
   * @param expiresAt when it expires if not touched again
   * @param authenticatedAt when the user last logged in on it, or null if anonymous
   * @param metadata device metadata
   */
  public SessionInfo(
      String handle,
      @Nullable String userId,
      Instant createdAt,
      Instant lastAccessedAt,
      Instant expiresAt,
      @Nullable Instant authenticatedAt,
      SessionMetadata metadata) {
    this.handle = Objects.requireNonNull(handle, "handle");
    this.userId = userId;
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.lastAccessedAt = Objects.requireNonNull(lastAccessedAt, "lastAccessedAt");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.authenticatedAt = authenticatedAt;
    this.metadata = Objects.requireNonNull(metadata, "metadata");
  }

  /**
   * @return the non-secret handle, 22 base64url characters
   */
  public String handle() {
    return handle;
  }

  /**
   * @return the user, empty for an anonymous session
   */
  public Optional<String> userId() {
    return Optional.ofNullable(userId);
  }

  /**
   * @return when the session was created
   */
  public Instant createdAt() {
    return createdAt;
  }

  /**
   * When the session was last touched. With touch coalescing this may lag the latest request by up
   * to the effective touch interval (see {@link TtlPolicy}).
   *
   * @return the stored last access time
   */
  public Instant lastAccessedAt() {
    return lastAccessedAt;
  }

  /**
   * @return when the session expires unless it is touched again
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * @return when the user last logged in on this session; empty for an anonymous session
   */
  public Optional<Instant> authenticatedAt() {
    return Optional.ofNullable(authenticatedAt);
  }

  /**
   * @return the device metadata
   */
  public SessionMetadata metadata() {
    return metadata;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SessionInfo i
        && handle.equals(i.handle)
        && Objects.equals(userId, i.userId)
        && createdAt.equals(i.createdAt)
        && lastAccessedAt.equals(i.lastAccessedAt)
        && expiresAt.equals(i.expiresAt)
        && Objects.equals(authenticatedAt, i.authenticatedAt)
        && metadata.equals(i.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(handle, userId, createdAt, lastAccessedAt, expiresAt);
  }

  @Override
  public String toString() {
    return "SessionInfo{handle="
        + handle
        + ", userId="
        + userId
        + ", createdAt="
        + createdAt
        + ", lastAccessedAt="
        + lastAccessedAt
        + ", expiresAt="
        + expiresAt
        + ", "
        + metadata
        + '}';
  }
}
