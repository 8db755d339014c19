package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.TokenClaims;
import io.sessionkit.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DemoJwtTest {
  private final MutableClock clock =
      MutableClock.startingAt(Instant.parse("2026-11-21T10:00:00.123Z"));
  private final DemoJwt jwt = DemoJwt.withRandomSecret(clock);

  @Test
  void anIssuedTokenVerifiesToItsClaimsWithMillisecondIssueTime() {
    DemoJwt.Issued issued = jwt.issue("alice");
    TokenClaims claims = jwt.verify(issued.token()).orElseThrow();
    assertThat(claims).isEqualTo(issued.claims());
    assertThat(claims.subject()).isEqualTo("alice");
    assertThat(claims.issuedAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00.123Z"));
    assertThat(claims.expiresAt()).isEqualTo(claims.issuedAt().plus(DemoJwt.ACCESS_TOKEN_TTL));
    assertThat(payload(issued.token()))
        .contains("\"iat\":1795255200.123", "\"iss\":\"sessionkit-demo\"");
  }

  @Test
  void everyTokenHasItsOwnId() {
    assertThat(jwt.issue("alice").claims().tokenId())
        .isNotEqualTo(jwt.issue("alice").claims().tokenId());
  }

  @Test
  void anotherKeysTokenIsRefused() {
    String foreign = DemoJwt.withRandomSecret(clock).issue("alice").token();
    assertThat(jwt.verify(foreign)).isEmpty();
  }

  @Test
  void aTamperedPayloadIsRefused() {
    String[] p = jwt.issue("alice").token().split("\\.");
    String evil =
        b64(
            "{\"iss\":\"sessionkit-demo\",\"sub\":\"admin\",\"jti\":\"x\",\"iat\":1,\"exp\":9999999999}");
    assertThat(jwt.verify(p[0] + "." + evil + "." + p[2])).isEmpty();
  }

  @Test
  void algorithmsOtherThanHs256AreRefusedWhateverTheSignature() {
    String[] p = jwt.issue("alice").token().split("\\.");
    for (String header :
        new String[] {
          "{\"alg\":\"none\",\"typ\":\"JWT\"}",
          "{\"alg\":\"HS512\",\"typ\":\"JWT\"}",
          "{\"alg\":\"RS256\"}",
          "{\"typ\":\"JWT\"}",
          "{\"alg\":\"hs256\"}",
          "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[\"x\"]}",
          "{\"alg\":\"HS256\",\"typ\":\"JOSE+JSON\"}"
        }) {
      assertThat(jwt.verify(b64(header) + "." + p[1] + "." + p[2])).as(header).isEmpty();
      assertThat(jwt.verify(b64(header) + "." + p[1] + ".")).as(header).isEmpty();
    }
  }

  @Test
  void garbageIsRefusedWithoutAnException() {
    for (String t :
        new String[] {
          "",
          ".",
          "..",
          "a.b.c",
          "a.b",
          "a.b.c.d",
          "%%%.###.***",
          "x".repeat(5000),
          b64("[]") + "." + b64("{}") + ".",
          b64("{\"alg\":\"HS256\"}") + ".!!!." + "AAAA"
        }) {
      assertThat(jwt.verify(t)).as(t.length() > 40 ? t.substring(0, 40) : t).isEmpty();
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String payload(String token) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
  }
}
