package io.sessionkit.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The facts about a bearer token that revocation needs, taken from the token after the application
 * verified it (for a JWT: {@code jti}, {@code sub}, {@code iat}, {@code exp}).
 *
 * <p>Revocation state is kept under a digest of {@code tokenId}, in the slot of {@code subject}
 * when there is one, so {@link TokenRevocationService#revoke} and {@link
 * TokenRevocationService#check} must be given the same subject for the same token.
 *
 * @param tokenId the token's unique id ({@code jti}), or the whole compact token for tokens without
 *     one; any string, it is only ever stored as a digest
 * @param subject the user the token was issued to, or null
 * @param issuedAt when it was issued; compared strictly against watermarks, so pass sub-second
 *     precision where the token has it
 * @param expiresAt when it expires
 */
public record TokenClaims(
    String tokenId, @Nullable String subject, Instant issuedAt, Instant expiresAt) {
  /** The longest token id accepted, in characters; longer ids are treated as malformed. */
  public static final int MAX_TOKEN_ID_LENGTH = 8192;

  /**
   * Validates non-null fields.
   *
   * @param tokenId the token id
   * @param subject the subject, or null
   * @param issuedAt when issued
   * @param expiresAt when it expires
   */
  public TokenClaims {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * Whether the token id is usable: non-empty and at most {@value #MAX_TOKEN_ID_LENGTH} characters,
   * and the subject, if any, at most 256 characters.
   *
   * @return true if the claims can be looked up
   */
  public boolean isWellFormed() {
    return !tokenId.isEmpty()
        && tokenId.length() <= MAX_TOKEN_ID_LENGTH
        && (subject == null || (!subject.isEmpty() && subject.length() <= 256));
  }

  @Override
  public String toString() {
    return "TokenClaims{subject="
        + subject
        + ", issuedAt="
        + issuedAt
        + ", expiresAt="
        + expiresAt
        + '}';
  }
}
