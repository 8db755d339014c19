package io.sessionkit.spring.security;

import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.spring.security.internal.SignedClaims;
import java.time.Instant;
import java.util.Objects;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A resource server's check that a JWT was not revoked: add it to the decoder's validators, and a
 * token revoked on any server ({@link TokenRevocationService#revoke}), or issued before its
 * subject's "sign out everywhere" ({@link TokenRevocationService#revokeAllForUser}) or the global
 * watermark, is refused with {@code 401} and {@code WWW-Authenticate: Bearer error="invalid_token"}
 * on every server.
 *
 * <p>It reads {@code jti} (or, for a token without one, the whole compact token as its id), {@code
 * sub}, {@code iat} and {@code exp}, and makes one {@link TokenRevocationService#check}. A token
 * without {@code iat} or {@code exp} is refused: its revocation cannot be decided. Spring
 * Security's claim converter gives a token without {@code iat} the issue time {@code exp - 1s},
 * which would pass any "sign out everywhere" before it; so the validator looks for {@code iat} in
 * the signed payload itself (for an encrypted token, whose payload it cannot read, it refuses an
 * {@code iat} of exactly {@code exp - 1s}). Run it after the signature check (the decoder does:
 * validators see verified tokens only).
 *
 * <p>JWT {@code iat} has second precision: a token issued in the same second as, but after, a "sign
 * out everywhere" may be refused too; the user signs in again. Never the other way round.
 *
 * <p>If the revocation store cannot be reached, {@code validate} throws {@link
 * io.sessionkit.core.StoreUnavailableException}: the request fails (500, or 503 behind {@link
 * io.sessionkit.servlet.SessionFilter}), it is never let through. Immutable and thread-safe.
 *
 * <pre>{@code
 * NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri).build();
 * decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
 *     JwtValidators.createDefault(), RevokedJwtValidator.create(tokens)));
 * }</pre>
 */
public final class RevokedJwtValidator implements OAuth2TokenValidator<Jwt> {
  private final TokenRevocationService tokens;

  private RevokedJwtValidator(TokenRevocationService tokens) {
    this.tokens = tokens;
  }

  /**
   * @param tokens the revocation service shared by every server
   * @return a validator
   */
  public static RevokedJwtValidator create(TokenRevocationService tokens) {
    return new RevokedJwtValidator(Objects.requireNonNull(tokens, "tokens"));
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    Instant issuedAt = jwt.getIssuedAt();
    Instant expiresAt = jwt.getExpiresAt();
    if (issuedAt == null
        || expiresAt == null
        || !SignedClaims.hasIssuedAt(jwt.getTokenValue(), issuedAt, expiresAt)) {
      return failure("The token has no iat or no exp, so its revocation cannot be checked");
    }
    String id = jwt.getId();
    TokenClaims claims =
        new TokenClaims(
            id == null || id.isEmpty() ? jwt.getTokenValue() : id,
            jwt.getSubject(),
            issuedAt,
            expiresAt);
    TokenCheck check = tokens.check(claims);
    if (check.isActive()) {
      return OAuth2TokenValidatorResult.success();
    }
    return failure(describe(check.reason().orElse(RevocationReason.REVOKED)));
  }

  private static String describe(RevocationReason reason) {
    return switch (reason) {
      case REVOKED -> "The token was revoked";
      case ALL_REVOKED -> "The token was issued before its user signed out everywhere";
      case GLOBALLY_REVOKED -> "The token was issued before every token was revoked";
      case EXPIRED -> "The token expired";
      case MALFORMED -> "The token's id cannot be checked";
    };
  }

  private static OAuth2TokenValidatorResult failure(String description) {
    return OAuth2TokenValidatorResult.failure(
        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
  }

  @Override
  public String toString() {
    return "RevokedJwtValidator";
  }
}
