package io.sessionkit.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionkit.core.TokenClaims;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo's access tokens: compact JWTs signed with HMAC-SHA256 by the JDK's {@link Mac}, no JWT
 * library. A real application would use its identity provider's tokens; SessionKit only needs the
 * verified claims ({@link TokenClaims}) to answer whether a token was revoked.
 *
 * <p>Verification follows RFC 8725: the algorithm is pinned (a header naming anything but {@code
 * HS256}, {@code none} included, is refused before the signature is looked at), the signature is
 * compared in constant time with {@link MessageDigest#isEqual}, and the issuer and type are
 * checked. {@code iat} carries milliseconds (a JWT NumericDate may be fractional), so that a token
 * issued in the same second as, but after, a password change is not caught by the user's revocation
 * watermark. Expiry is left to {@link io.sessionkit.core.TokenRevocationService#check}, which
 * answers {@code EXPIRED}.
 *
 * <p>Thread-safe: each call uses its own {@link Mac}.
 */
final class DemoJwt {
  static final String ISSUER = "sessionkit-demo";
  static final Duration ACCESS_TOKEN_TTL = Duration.ofMinutes(15);

  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  // Floats as BigDecimal: a fractional iat must keep its milliseconds exactly.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final int MAX_TOKEN_LENGTH = 4096;

  private final SecretKeySpec key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private DemoJwt(byte[] secret, Clock clock) {
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.clock = clock;
  }

  /**
   * A signer with a fresh random 256-bit secret: tokens survive only as long as this process, which
   * is all the demo needs (both nodes run in it and share the signer).
   */
  static DemoJwt withRandomSecret(Clock clock) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new DemoJwt(secret, Objects.requireNonNull(clock, "clock"));
  }

  /** A signed access token for {@code subject}, valid {@link #ACCESS_TOKEN_TTL} from now. */
  Issued issue(String subject) {
    Instant iat = Instant.ofEpochMilli(clock.millis());
    Instant exp = iat.plus(ACCESS_TOKEN_TTL);
    byte[] jti = new byte[16];
    random.nextBytes(jti);
    ObjectNode header = JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT");
    ObjectNode payload =
        JSON.createObjectNode()
            .put("iss", ISSUER)
            .put("sub", subject)
            .put("jti", B64.encodeToString(jti))
            .put("iat", numericDate(iat))
            .put("exp", numericDate(exp));
    String signingInput = encode(header) + '.' + encode(payload);
    String token = signingInput + '.' + B64.encodeToString(mac(signingInput));
    return new Issued(token, new TokenClaims(payload.get("jti").asText(), subject, iat, exp));
  }

  /**
   * Verifies a compact JWT.
   *
   * @param token what the client sent after {@code Bearer }; may be anything
   * @return the claims if the token is one of ours, untampered; empty otherwise (expired tokens
   *     included: the revocation check reports those)
   */
  Optional<TokenClaims> verify(String token) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode header = JSON.readTree(B64D.decode(parts[0]));
      // Pin the algorithm before anything else: "none", "HS512", "RS256" and friends are refused.
      if (header == null
          || !header.isObject()
          || !"HS256".equals(header.path("alg").asText(null))
          || !"JWT".equals(header.path("typ").asText("JWT"))
          || header.has("crit")) {
        return Optional.empty();
      }
      byte[] expected = mac(parts[0] + '.' + parts[1]);
      if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) {
        return Optional.empty();
      }
      JsonNode payload = JSON.readTree(B64D.decode(parts[1]));
      if (payload == null
          || !payload.isObject()
          || !ISSUER.equals(payload.path("iss").asText(null))) {
        return Optional.empty();
      }
      String sub = payload.path("sub").asText(null);
      String jti = payload.path("jti").asText(null);
      JsonNode iat = payload.get("iat");
      JsonNode exp = payload.get("exp");
      if (sub == null
          || jti == null
          || iat == null
          || !iat.isNumber()
          || exp == null
          || !exp.isNumber()) {
        return Optional.empty();
      }
      return Optional.of(
          new TokenClaims(jti, sub, instant(iat.decimalValue()), instant(exp.decimalValue())));
    } catch (IllegalArgumentException | IOException | ArithmeticException e) {
      // Bad base64, bad JSON, absurd numbers: not one of ours.
      return Optional.empty();
    }
  }

  /** An issued token and the claims revocation needs. */
  record Issued(String token, TokenClaims claims) {
    @Override
    public String toString() {
      return "Issued{" + claims + '}';
    }
  }

  private byte[] mac(String signingInput) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    }
  }

  private static String encode(ObjectNode node) {
    try {
      return B64.encodeToString(JSON.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Seconds since the epoch with milliseconds as a fraction, e.g. {@code 1763750000.123}. */
  static BigDecimal numericDate(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
  }

  private static Instant instant(BigDecimal seconds) {
    // Whole milliseconds only: more precision than the issuer wrote cannot matter.
    return Instant.ofEpochMilli(
        seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact());
  }
}
