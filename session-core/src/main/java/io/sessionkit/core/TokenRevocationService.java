package io.sessionkit.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Revocation of bearer tokens (JWTs or opaque tokens) shared by every server: once a method
 * returns, no server accepts the revoked tokens.
 *
 * <ul>
 *   <li>{@link #revoke(TokenClaims)} marks one token, and keeps the mark only as long as the token
 *       could still be used (until its expiry plus {@link RevocationConfig#clockSkew()}, capped by
 *       {@link RevocationConfig#maxRevocationTtl()}).
 *   <li>{@link #revokeAllForUser(String, String)} sets a per-user watermark ("not before"): every
 *       token of the user issued before it is refused, however many there are, and the user's
 *       sessions end with {@link EndReason#ALL_REVOKED} if the service was given a session store.
 *   <li>{@link #revokeAllIssuedBefore(Instant)} sets a global watermark; user and global watermarks
 *       combine with {@code max()}.
 *   <li>{@link #check(TokenClaims)} answers ACTIVE or REVOKED with the reason, in one round trip.
 * </ul>
 *
 * <p>Revoking a garbage or unknown token succeeds silently: callers cannot use revocation as an
 * oracle. Token ids are only ever stored as digests. Implementations are thread-safe and throw
 * {@link StoreUnavailableException} when the backend is down; callers must then refuse the token.
 *
 * <pre>{@code
 * TokenClaims claims = new TokenClaims(jwt.id(), jwt.subject(), jwt.issuedAt(), jwt.expiresAt());
 * if (!tokens.check(claims).isActive()) { respond401(); }
 * tokens.revoke(claims);                         // logout of this token
 * tokens.revokeAllForUser("alice", null);        // password changed: everything before now dies
 * }</pre>
 */
public interface TokenRevocationService extends AutoCloseable {

  /**
   * Revokes one token until it expires. Idempotent; malformed claims and already expired tokens
   * succeed silently without I/O.
   *
   * @param token the token's claims
   */
  void revoke(TokenClaims token);

  /**
   * Revokes every token of a user issued before now (a watermark kept for {@link
   * RevocationConfig#watermarkTtl()}), and ends the user's sessions.
   *
   * @param userId the user
   * @param keepSessionId the id of a session to spare (the one that changed the password), or null
   * @return the watermark: tokens issued strictly before it are refused
   */
  Instant revokeAllForUser(String userId, @Nullable String keepSessionId);

  /**
   * Revokes every token issued before the given instant, whatever its subject (for example after a
   * signing key leaked). Sessions are not affected.
   *
   * @param notBefore the global watermark; a watermark never moves backwards
   */
  void revokeAllIssuedBefore(Instant notBefore);

  /**
   * Whether a token may be used: not expired, not revoked, not issued before its user's or the
   * global watermark.
   *
   * @param token the token's claims
   * @return ACTIVE, or REVOKED with the reason
   */
  TokenCheck check(TokenClaims token);

  /**
   * The configuration this service was built with.
   *
   * @return the configuration
   */
  RevocationConfig config();

  /** Releases the service's resources. Idempotent. */
  @Override
  void close();
}
