package io.sessionkit.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A refresh token issued by {@link RefreshTokenService}. The {@code token} is a secret for the
 * client; the rest is safe to show.
 *
 * @param token the opaque secret, same format as a session id, in the subject's slot
 * @param subject the user it was issued to
 * @param familyHandle non-secret handle of the rotation family it belongs to
 * @param issuedAt when it was issued
 * @param expiresAt when it stops working (sliding, never past the family's absolute expiry)
 */
public record RefreshToken(
    String token, String subject, String familyHandle, Instant issuedAt, Instant expiresAt) {
  /**
   * Validates.
   *
   * @param token the secret
   * @param subject the user
   * @param familyHandle the family handle
   * @param issuedAt when issued
   * @param expiresAt when it expires
   */
  public RefreshToken {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(familyHandle, "familyHandle");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "RefreshToken{subject="
        + subject
        + ", family="
        + familyHandle
        + ", expiresAt="
        + expiresAt
        + '}';
  }
}
