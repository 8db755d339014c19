package io.sessionkit.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Receives token revocation events. Every method has an empty default. Delivered synchronously
 * after the operation took effect; exceptions are logged and swallowed. Never receives a raw token:
 * tokens are named by a digest.
 *
 * <p>Implementations must be thread-safe.
 */
public interface RevocationListener {
  /**
   * One token was revoked.
   *
   * @param tokenDigest a truncated SHA-256 digest of the token id
   * @param subject the token's subject, or null
   */
  default void tokenRevoked(String tokenDigest, @Nullable String subject) {}

  /**
   * Every token and session of a user issued before {@code notBefore} was revoked.
   *
   * @param userId the user
   * @param notBefore the new watermark
   */
  default void userRevoked(String userId, Instant notBefore) {}

  /**
   * Every token issued before {@code notBefore} was revoked, whatever its subject.
   *
   * @param notBefore the new global watermark
   */
  default void allRevoked(Instant notBefore) {}

  /**
   * A refresh token was presented again after it had been rotated, outside the grace window; its
   * whole family is now revoked.
   *
   * @param familyHandle the family's non-secret handle
   * @param subject the family's subject
   */
  default void refreshTokenReused(String familyHandle, String subject) {}

  /**
   * A spent refresh token was presented again within the grace window, and the caller received the
   * successor that its first presentation made. Usually a client that retried (two tabs, a lost
   * response), but also what a thief replaying a stolen token within the window looks like: a reuse
   * signal to count and alert on. The family stays valid; see {@link
   * RevocationConfig#refreshGraceWindow()}.
   *
   * @param familyHandle the family's non-secret handle
   * @param subject the family's subject
   */
  default void refreshTokenReplayed(String familyHandle, String subject) {}

  /**
   * The backend was found to have lost its memory (flushed, or restarted without persistence), so
   * revocations made before may be gone; every token issued before {@code notBefore} is now refused
   * as {@link RevocationReason#GLOBALLY_REVOKED}. Reported once per loss by each process that
   * detects it.
   *
   * @param notBefore tokens issued before this instant are refused
   */
  default void memoryLossDetected(Instant notBefore) {}
}
