package io.sessionkit.servlet;

/**
 * The application's own check of a bearer token: signature, issuer, audience, algorithm, whatever
 * its tokens need. SessionKit does not parse tokens; it asks the verifier for the {@link
 * io.sessionkit.core.TokenClaims} of a token that is genuine and then checks revocation.
 *
 * <pre>{@code
 * TokenVerifier verifier = raw -> {
 *   try {
 *     Jwt jwt = myJwtDecoder.decode(raw);   // verifies signature, alg, iss, aud, typ
 *     return TokenVerification.valid(new TokenClaims(jwt.id(), jwt.subject(), jwt.issuedAt(), jwt.expiresAt()));
 *   } catch (JwtException e) {
 *     return TokenVerification.invalid("bad signature");
 *   }
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe. Anything thrown by {@link #verify}, an {@link Error}
 * included, counts as {@link TokenVerification#invalid(String) invalid}: the client gets a 401, and
 * the throwable's message is neither logged nor shown.
 */
@FunctionalInterface
public interface TokenVerifier {
  /**
   * Verifies a token.
   *
   * @param rawToken the token as the client sent it after {@code Bearer }, already checked to be a
   *     syntactically valid RFC 6750 token of at most {@value
   *     BearerRevocationFilter#MAX_TOKEN_LENGTH} characters
   * @return the claims of a genuine token, or why it is not
   */
  TokenVerification verify(String rawToken);
}
