package io.sessionkit.core;

/**
 * Refresh-token rotation with reuse detection, an optional capability of a {@link
 * TokenRevocationService} implementation.
 *
 * <ul>
 *   <li>Single use: {@link #rotate(String)} spends the presented token and issues its successor,
 *       atomically, so two concurrent rotations of one token yield one successor.
 *   <li>Grace window: within {@link RevocationConfig#refreshGraceWindow()} after a rotation, the
 *       same spent token gets the same successor again (a multi-tab or flaky mobile client
 *       retrying), reported as {@link RefreshResult.Rotated#retry()}.
 *   <li>Reuse detection: a spent token presented after the grace window revokes its whole family;
 *       every later rotation in the family is refused with {@link RefreshResult.Reason#REUSED} or
 *       {@link RefreshResult.Reason#REVOKED}.
 *   <li>Expiry: each token lives {@link RevocationConfig#refreshTokenTtl()} (sliding), never past
 *       the family's {@link RevocationConfig#refreshFamilyMaxLifetime()} (absolute).
 *   <li>{@link TokenRevocationService#revokeAllForUser} refuses every refresh token of the user
 *       issued before the watermark.
 * </ul>
 *
 * <p>The store never holds a usable token: tokens are kept as digests, and the successor kept for
 * the grace window is encrypted under a key derived from its predecessor. Thread-safe.
 */
public interface RefreshTokenService {
  /**
   * Starts a new family with its first token.
   *
   * @param subject the user, 1 to 256 characters
   * @return the token
   */
  RefreshToken issue(String subject);

  /**
   * Spends a token and returns its successor.
   *
   * @param refreshToken the token the client presented; may be garbage
   * @return the successor, or why not
   */
  RefreshResult rotate(String refreshToken);

  /**
   * Revokes the family of a token (logout of a refresh token). Garbage and unknown tokens succeed
   * silently.
   *
   * @param refreshToken the token the client presented
   */
  void revokeFamily(String refreshToken);
}
