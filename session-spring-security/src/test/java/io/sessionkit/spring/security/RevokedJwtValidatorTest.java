package io.sessionkit.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.TokenClaims;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The validator over a real in-memory revocation service, with JWTs as Spring Security's decoder
 * builds them.
 */
class RevokedJwtValidatorTest {
  private final InMemoryTokenRevocationService tokens =
      InMemoryTokenRevocationService.create(RevocationConfig.defaults());
  private final RevokedJwtValidator validator = RevokedJwtValidator.create(tokens);
  private final Instant iat = Instant.now().minusSeconds(30);
  private final Instant exp = Instant.now().plusSeconds(600);

  @AfterEach
  void close() {
    tokens.close();
  }

  /** A compact JWS whose payload is the given JSON; the signature is not checked here. */
  private static String compact(String payloadJson) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8))
        + '.'
        + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  private Jwt jwt(String jti, String sub, boolean iatInPayload) {
    String payload =
        "{\"jti\":\""
            + jti
            + "\",\"sub\":\""
            + sub
            + "\""
            + (iatInPayload ? ",\"iat\":" + iat.getEpochSecond() : "")
            + ",\"exp\":"
            + exp.getEpochSecond()
            + "}";
    // What Spring Security's claim converter makes of a token without iat: exp - 1s.
    Instant issued = iatInPayload ? iat : exp.minusSeconds(1);
    return Jwt.withTokenValue(compact(payload))
        .header("alg", "HS256")
        .subject(sub)
        .jti(jti)
        .issuedAt(issued)
        .expiresAt(exp)
        .build();
  }

  private static String description(OAuth2TokenValidatorResult r) {
    return r.getErrors().stream().map(OAuth2Error::getDescription).findFirst().orElse("");
  }

  @Test
  void anActiveTokenPassesAndARevokedOneFailsWithInvalidToken() {
    Jwt token = jwt("j1", "alice", true);
    assertThat(validator.validate(token).hasErrors()).isFalse();
    tokens.revoke(new TokenClaims("j1", "alice", token.getIssuedAt(), exp));
    OAuth2TokenValidatorResult r = validator.validate(token);
    assertThat(r.getErrors())
        .singleElement()
        .satisfies(e -> assertThat(e.getErrorCode()).isEqualTo("invalid_token"));
    assertThat(description(r)).isEqualTo("The token was revoked");
  }

  @Test
  void aTokenIssuedBeforeSignOutEverywhereFails() {
    Jwt token = jwt("j2", "bob", true);
    tokens.revokeAllForUser("bob", null);
    assertThat(description(validator.validate(token))).contains("signed out everywhere");
    assertThat(validator.validate(jwt("j3", "carol", true)).hasErrors()).isFalse();
  }

  @Test
  void aTokenWithoutIatIsRefusedThoughSpringFilledOneIn() {
    Jwt token = jwt("j4", "dave", false);
    assertThat(token.getIssuedAt()).isEqualTo(exp.minusSeconds(1));
    assertThat(description(validator.validate(token))).contains("no iat");
  }
}
