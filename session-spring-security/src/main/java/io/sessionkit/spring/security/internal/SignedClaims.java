package io.sessionkit.spring.security.internal;

import java.time.Instant;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what a verified compact JWS really says, before Spring Security's claim converter filled in
 * defaults: Spring Security gives a token without {@code iat} the issue time {@code exp - 1s}.
 */
public final class SignedClaims {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SignedClaims() {}

  /**
   * Whether the token itself carries a numeric {@code iat}.
   *
   * @param compact the token as received (already verified by the decoder)
   * @param issuedAt the issue time Spring Security reports
   * @param expiresAt the expiry Spring Security reports
   * @return for a JWS, whether its payload has a numeric {@code iat}; for any other form, whether
   *     the issue time is not the {@code exp - 1s} Spring Security makes up
   */
  public static boolean hasIssuedAt(String compact, Instant issuedAt, Instant expiresAt) {
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3) {
      return !issuedAt.equals(expiresAt.minusSeconds(1));
    }
    try {
      JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      JsonNode iat = payload == null ? null : payload.get("iat");
      return iat != null && iat.isNumber();
    } catch (JacksonException | IllegalArgumentException e) {
      return false;
    }
  }
}
