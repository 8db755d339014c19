package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.servlet.testsupport.Browser;
import io.sessionkit.servlet.testsupport.Container;
import io.sessionkit.servlet.testsupport.ServletServer;
import io.sessionkit.testkit.MutableClock;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link BearerRevocationFilter} over real HTTP: {@code /api/*} requires a token, {@code /open/*}
 * accepts requests without one, {@code /down/*} checks against a revocation service that is down.
 *
 * <p>Test tokens are {@code t.<jti>.<subject>.<iat millis>.<exp millis>.<sig>}; the verifier
 * accepts {@code sig == "good"} and nothing else, as a signature check would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BearerRevocationSuite {
  protected final MutableClock clock = MutableClock.startingNow();
  private TokenRevocationService revocations;
  private ServletServer server;

  protected abstract Container container();

  protected abstract TokenRevocationService createService(RevocationConfig config);

  protected abstract void closeService();

  /**
   * The message of the Error the verifier throws for a token signed "error": must never reach a
   * client.
   */
  static final String VERIFIER_ERROR_MESSAGE = "verifier-internal-detail-4711";

  static final TokenVerifier VERIFIER =
      raw -> {
        String[] p = raw.split("\\.");
        if (p.length == 6 && p[5].equals("error")) {
          throw new AssertionError(VERIFIER_ERROR_MESSAGE);
        }
        if (p.length != 6 || !p[0].equals("t") || !p[5].equals("good")) {
          return TokenVerification.invalid("bad signature");
        }
        return TokenVerification.valid(
            new TokenClaims(
                p[1],
                p[2],
                Instant.ofEpochMilli(Long.parseLong(p[3])),
                Instant.ofEpochMilli(Long.parseLong(p[4]))));
      };

  /** Prints the subject of the accepted token, or "anonymous". */
  static final class WhoAmI extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter()
          .print(
              "sub="
                  + BearerRevocationFilter.claims(req).map(c -> c.subject()).orElse("anonymous"));
    }
  }

  /**
   * The revocation service behind {@code /down/*}: one whose backend is unreachable. By default a
   * service that fails every call; a subclass with a real Redis returns one over a killed server.
   *
   * @param config the configuration
   * @return a service that is down
   */
  protected TokenRevocationService createDownService(RevocationConfig config) {
    return new TokenRevocationService() {
      @Override
      public void revoke(TokenClaims token) {
        throw new StoreUnavailableException("down", null);
      }

      @Override
      public Instant revokeAllForUser(String userId, @Nullable String keepSessionId) {
        throw new StoreUnavailableException("down", null);
      }

      @Override
      public void revokeAllIssuedBefore(Instant notBefore) {
        throw new StoreUnavailableException("down", null);
      }

      @Override
      public TokenCheck check(TokenClaims token) {
        throw new StoreUnavailableException("backend unreachable (test)", null);
      }

      @Override
      public RevocationConfig config() {
        return config;
      }

      @Override
      public void close() {}
    };
  }

  @BeforeAll
  void start() {
    revocations = createService(RevocationConfig.builder().clock(clock).build());
    TokenRevocationService down =
        createDownService(RevocationConfig.builder().clock(clock).build());
    ServletContainerInitializer init =
        (classes, ctx) -> {
          BearerRevocationFilter.builder(revocations, VERIFIER)
              .requireToken(true)
              .register(ctx, "/api/*");
          ctx.addFilter(
                  "bearer-open", BearerRevocationFilter.builder(revocations, VERIFIER).build())
              .addMappingForUrlPatterns(null, false, "/open/*");
          ctx.addFilter("bearer-down", BearerRevocationFilter.builder(down, VERIFIER).build())
              .addMappingForUrlPatterns(null, false, "/down/*");
          ctx.addServlet("whoami", new WhoAmI()).addMapping("/api/*", "/open/*", "/down/*");
        };
    server = container().start(init);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    closeService();
  }

  private String token(String jti, String subject, Instant iat, Instant exp) {
    return "t."
        + jti
        + "."
        + subject
        + "."
        + iat.toEpochMilli()
        + "."
        + exp.toEpochMilli()
        + ".good";
  }

  private String freshToken(String jti, String subject) {
    return token(
        jti, subject, clock.instant().minusSeconds(1), clock.instant().plus(Duration.ofHours(1)));
  }

  private Browser.Response call(String path, @Nullable String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return new Browser("unused").send(b.build());
  }

  private static void assertRefused(Browser.Response r, String reason) {
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).containsExactly("Bearer error=\"invalid_token\"");
    assertThat(r.body()).isEqualTo("{\"error\":\"invalid_token\",\"reason\":\"" + reason + "\"}");
    assertThat(r.header("Content-Type"))
        .anySatisfy(v -> assertThat(v).startsWith("application/json"));
  }

  @Test
  void aGenuineUnrevokedTokenPassesWithItsClaims() {
    Browser.Response r = call("/api/me", "Bearer " + freshToken("j-ok", "alice"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("sub=alice");
  }

  @Test
  void aRevokedTokenIsRefusedAndOthersOfTheUserStillPass() {
    String t = freshToken("j-revoked", "bob");
    assertThat(call("/api/me", "Bearer " + t).status()).isEqualTo(200);
    revocations.revoke(VERIFIER.verify(t).claims().orElseThrow());
    assertRefused(call("/api/me", "Bearer " + t), "revoked");
    assertThat(call("/api/me", "Bearer " + freshToken("j-other", "bob")).status()).isEqualTo(200);
  }

  @Test
  void tokensIssuedBeforeTheUsersWatermarkAreRefusedAndLaterOnesPass() {
    String before = freshToken("j-before", "carol");
    clock.advance(Duration.ofSeconds(5));
    Instant watermark = revocations.revokeAllForUser("carol", null);
    assertRefused(call("/api/me", "Bearer " + before), "all_revoked");
    clock.advance(Duration.ofSeconds(1));
    String after =
        token(
            "j-after", "carol", watermark.plusMillis(1), clock.instant().plus(Duration.ofHours(1)));
    assertThat(call("/api/me", "Bearer " + after).body()).isEqualTo("sub=carol");
  }

  @Test
  void anExpiredTokenIsRefused() {
    String t =
        token("j-exp", "dave", clock.instant().minusSeconds(120), clock.instant().minusSeconds(60));
    assertRefused(call("/api/me", "Bearer " + t), "expired");
  }

  @Test
  void aTokenTheVerifierRejectsOrThatIsMalformedIsRefused() {
    assertRefused(call("/api/me", "Bearer t.j.erin.1.2.forged"), "invalid");
    assertRefused(call("/api/me", "Bearer a*b{c}:d"), "malformed");
    assertRefused(call("/api/me", "Bearer abc def"), "malformed");
    // Over the filter's limit: the container's own header limit may answer first (400 or 431),
    // never 200 or 500.
    assertThat(
            call("/api/me", "Bearer " + "A".repeat(BearerRevocationFilter.MAX_TOKEN_LENGTH + 1))
                .status())
        .isIn(400, 401, 431);
  }

  @Test
  void aMissingTokenIs401WhereRequiredAndAnonymousElsewhere() {
    Browser.Response required = call("/api/me", null);
    assertThat(required.status()).isEqualTo(401);
    assertThat(required.header("WWW-Authenticate")).containsExactly("Bearer");
    assertThat(required.body()).isEqualTo("{\"error\":\"missing_token\"}");
    assertThat(call("/open/me", null).body()).isEqualTo("sub=anonymous");
    assertThat(call("/open/me", "Basic dXNlcjpwYXNz").body()).isEqualTo("sub=anonymous");
    assertRefused(
        call(
            "/open/me",
            "Bearer "
                + token(
                    "j-x", "x", clock.instant().minusSeconds(9), clock.instant().minusSeconds(1))),
        "expired");
  }

  @Test
  void anUnreachableRevocationStoreGives503AndNeverLetsTheTokenThrough() {
    String t = freshToken("j-down", "frank");
    Browser.Response r = call("/down/me", "Bearer " + t);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body())
        .isEqualTo("{\"error\":\"revocation_store_unavailable\"}")
        .doesNotContain(t);
  }

  private static void assertBadRequest(Browser.Response r, String reason) {
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).containsExactly("Bearer error=\"invalid_request\"");
    assertThat(r.body()).isEqualTo("{\"error\":\"invalid_request\",\"reason\":\"" + reason + "\"}");
  }

  private Browser.Response raw(String path, String... headerLines) {
    Browser.Response r = Browser.raw(server.port(), path, List.of(headerLines));
    // Browser.raw reads the body as ISO-8859-1 without de-chunking: keep only the JSON object.
    String body = r.body();
    int start = body.indexOf('{');
    int end = body.lastIndexOf('}');
    return new Browser.Response(
        r.status(), r.headers(), start < 0 ? body : body.substring(start, end + 1));
  }

  @Test
  void anythingThatCouldBeTakenForABearerTokenIsVerifiedOrRefusedNeverPassedUnchecked() {
    String good = freshToken("j-edge", "gina");
    for (String path : List.of("/open/me", "/api/me", "/down/me")) {
      assertBadRequest(raw(path, "Authorization: Bearer\t" + good), "malformed_authorization");
      assertBadRequest(raw(path, "Authorization: Bearer"), "malformed_authorization");
      assertBadRequest(raw(path, "Authorization: Bearer" + good), "malformed_authorization");
      assertBadRequest(
          raw(path, "Authorization: Bearer " + good, "Authorization: Basic dXNlcjpwYXNz"),
          "several_authorization_headers");
      assertBadRequest(
          raw(path, "Authorization: Basic dXNlcjpwYXNz", "Authorization: bearer " + good),
          "several_authorization_headers");
      assertBadRequest(
          raw(path, "Authorization: Basic dXNlcjpwYXNz, Bearer " + good),
          "malformed_authorization");
      assertBadRequest(call(path + "?access_token=" + good, null), "token_in_parameter");
      assertBadRequest(call(path + "?x=1&access%5Ftoken=" + good, null), "token_in_parameter");
      assertBadRequest(
          new Browser("unused")
              .send(
                  HttpRequest.newBuilder(server.uri(path))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString("a=1&access_token=" + good))
                      .build()),
          "token_in_parameter");
      assertRefused(call(path, "bearer t.j.gina.1.2.forged"), "invalid");
    }
    // The scheme in lower case is a bearer token like any other: verified, then checked for
    // revocation.
    assertThat(call("/open/me", "bearer " + good).body()).isEqualTo("sub=gina");
    assertThat(call("/api/me", "BEARER " + good).body()).isEqualTo("sub=gina");
    assertThat(call("/down/me", "bearer " + good).status()).isEqualTo(503);
    // Other schemes and ordinary parameters still pass where no token is required.
    assertThat(call("/open/me?token_type=x", "Basic dXNlcjpwYXNz").body())
        .isEqualTo("sub=anonymous");
  }

  @Test
  void anErrorThrownByTheVerifierIsA401WithoutItsMessage() {
    String t =
        "t.j-err.hank."
            + clock.instant().minusSeconds(1).toEpochMilli()
            + "."
            + clock.instant().plusSeconds(3600).toEpochMilli()
            + ".error";
    for (String path : List.of("/api/me", "/open/me", "/down/me")) {
      Browser.Response r = call(path, "Bearer " + t);
      assertRefused(r, "invalid");
      assertThat(r.toString())
          .doesNotContain(VERIFIER_ERROR_MESSAGE)
          .doesNotContain("AssertionError");
    }
  }
}
