package io.sessionkit.spring.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.redis.RedisTokenRevocationService;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.spring.security.app.Client;
import io.sessionkit.spring.security.app.SecurityApp;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * A real Spring Security 7 filter chain (form login, CSRF, logout, a resource-server chain) behind
 * {@code SessionFilter}, on embedded Tomcat over real HTTP, with a real Redis. Three instances of
 * the application share the Redis, each with its own store and connection:
 *
 * <ul>
 *   <li>A: login policy at most 2 sessions per user, evict the oldest;
 *   <li>B: at most 1, reject the new login;
 *   <li>C: no store limit, Spring Security's {@code maximumSessions(1)} over the {@link
 *       SessionKitSessionRegistry}.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringSecurityOverHttpIT {
  private static final String COOKIE = CookieSettings.DEFAULT_NAME;
  private static final String CSRF_ATTRIBUTE =
      "org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository.CSRF_TOKEN";

  private RedisServer redis;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private RedisSessionStore storeA;
  private RedisTokenRevocationService tokensA;
  private RedisTokenRevocationService tokensB;
  private SecretKey jwtKey;
  private SecurityApp a;
  private SecurityApp b;
  private SecurityApp c;

  @BeforeAll
  void start() {
    redis = RedisServers.standalone();
    jwtKey =
        new SecretKeySpec(
            UUID.randomUUID().toString().repeat(2).getBytes(StandardCharsets.US_ASCII),
            "HmacSHA256");
    storeA = store(LoginPolicy.maxSessionsPerUser(2, OnLimit.EVICT_OLDEST));
    tokensA = tokens(storeA);
    a = app(new SecurityApp.Settings(storeA, tokensA, jwtKey, 0));
    RedisSessionStore storeB = store(LoginPolicy.maxSessionsPerUser(1, OnLimit.REJECT_NEW));
    tokensB = tokens(storeB);
    b = app(new SecurityApp.Settings(storeB, tokensB, jwtKey, 0));
    RedisSessionStore storeC = store(LoginPolicy.unlimited());
    c = app(new SecurityApp.Settings(storeC, tokens(storeC), jwtKey, 1));
  }

  private RedisSessionStore store(LoginPolicy policy) {
    RedisSessionStore s =
        RedisSessionStore.create(
            RedisOptions.fromUri(redis.uri()),
            SessionConfig.builder()
                .codec(SpringSecurityAttributeCodec.defaults())
                .loginPolicy(policy)
                .build());
    resources.add(s);
    return s;
  }

  private RedisTokenRevocationService tokens(RedisSessionStore sessions) {
    RedisTokenRevocationService t =
        RedisTokenRevocationService.create(
            RedisOptions.fromUri(redis.uri()), RevocationConfig.defaults(), sessions);
    resources.add(t);
    return t;
  }

  private SecurityApp app(SecurityApp.Settings settings) {
    SecurityApp app = SecurityApp.start(settings);
    resources.add(0, app);
    return app;
  }

  @AfterAll
  void stop() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        // Keep closing the rest.
      }
    }
    redis.close();
  }

  @BeforeEach
  void clean() {
    redis.flushAll();
    // An emptied store refuses every token issued before it noticed (the flush defence); the
    // tokens these tests mint a few seconds back belong to a new store, not to a lost one.
    try (RedisConnector c = RedisConnector.connect(RedisOptions.fromUri(redis.uri()))) {
      RedisTokenRevocationService.adoptStore(c, Instant.EPOCH);
    }
  }

  private static String handleOf(Client client, SecurityApp app) {
    HttpResponse<String> me = client.get(app.uri("/api/me"));
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    return me.body()
        .lines()
        .filter(l -> l.startsWith("session:"))
        .findFirst()
        .orElseThrow()
        .substring(8);
  }

  private static String csrf(Client client, SecurityApp app) {
    HttpResponse<String> r = client.get(app.uri("/api/csrf"));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static void assertEnded(Client replay, SecurityApp app, String reason) {
    HttpResponse<String> api = replay.copy().asApi().get(app.uri("/api/me"));
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.body()).isEqualTo("{\"error\":\"session_ended\",\"reason\":\"" + reason + "\"}");
    HttpResponse<String> page = replay.copy().get(app.uri("/private"));
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(Client.location(page)).endsWith("/login?reason=" + reason);
  }

  @Test
  void formLoginRenewsTheIdBindsTheUserAndKeepsTheSavedRequest() {
    Client browser = new Client();
    HttpResponse<String> first = browser.get(a.uri("/private?x=1"));
    assertThat(first.statusCode()).isEqualTo(302);
    assertThat(Client.location(first)).endsWith("/login");
    String before = browser.cookie(COOKIE).orElseThrow();
    Client oldCookie = browser.copy();

    HttpResponse<String> login = browser.login(a, "alice");
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(Client.location(login)).contains("/private?x=1");
    String after = browser.cookie(COOKIE).orElseThrow();
    assertThat(after).isNotEqualTo(before);

    HttpResponse<String> saved = browser.get(URI.create(Client.location(login)));
    assertThat(saved.statusCode()).isEqualTo(200);
    assertThat(saved.body()).isEqualTo("private:alice");
    assertThat(storeA.listForUser("alice"))
        .singleElement()
        .satisfies(i -> assertThat(i.handle()).isEqualTo(handleOf(browser, a)));
    // The anonymous id died with the login (fixation protection).
    assertThat(oldCookie.asApi().get(a.uri("/api/me")).statusCode()).isEqualTo(401);
  }

  @Test
  void theSecurityContextAndTheCsrfTokenLiveInRedisAsJsonAndAnotherServerUsesThem() {
    Client browser = new Client();
    browser.login(a, "alice");
    String tokenFromA = csrf(browser, a);
    Session s = storeA.access(browser.cookie(COOKIE).orElseThrow()).session().orElseThrow();
    assertThat(s.attribute("SPRING_SECURITY_CONTEXT"))
        .get()
        .isInstanceOf(SecurityContextImpl.class)
        .satisfies(
            ctx ->
                assertThat(((SecurityContextImpl) ctx).getAuthentication().getName())
                    .isEqualTo("alice"));
    assertThat(s.attribute(CSRF_ATTRIBUTE)).get().isInstanceOf(DefaultCsrfToken.class);
    assertThat(s.encodedAttributes().get("SPRING_SECURITY_CONTEXT"))
        .startsWith("{\"@springSecurity\":");
    assertThat(s.encodedAttributes().values()).noneMatch(v -> v.contains("\u00ac\u00ed"));

    // Server B knows the user, keeps counting the session's counter, and accepts A's CSRF token.
    assertThat(browser.get(a.uri("/api/counter")).body()).isEqualTo("count:1");
    assertThat(browser.get(b.uri("/api/counter")).body()).isEqualTo("count:2");
    assertThat(browser.get(b.uri("/private")).body()).isEqualTo("private:alice");
    HttpResponse<String> logoutOnB = browser.post(b.uri("/logout"), Map.of("_csrf", tokenFromA));
    assertThat(logoutOnB.statusCode()).isEqualTo(302);
    assertThat(Client.location(logoutOnB)).endsWith("/login?logout");
  }

  /** Scripts run (EVALSHA and EVAL calls): every store operation is one script, one round trip. */
  private long scripts() {
    Map<String, String> stats = redis.info("commandstats");
    long n = 0;
    for (String cmd :
        List.of("cmdstat_evalsha", "cmdstat_eval", "cmdstat_hgetall", "cmdstat_get")) {
      String v = stats.get(cmd);
      if (v != null) {
        n += Long.parseLong(v.substring(v.indexOf("calls=") + 6, v.indexOf(',')));
      }
    }
    return n;
  }

  private long commandsDuring(Runnable requests) {
    long before = scripts();
    requests.run();
    return scripts() - before;
  }

  @Test
  void anAuthenticatedPageViewCostsOneStoreCallAndAChangeTwo() {
    Client browser = new Client();
    browser.login(a, "alice");
    assertThat(browser.get(a.uri("/private")).body()).isEqualTo("private:alice");
    long view =
        commandsDuring(
            () -> assertThat(browser.get(a.uri("/private")).body()).isEqualTo("private:alice"));
    long change =
        commandsDuring(
            () -> assertThat(browser.get(a.uri("/api/counter")).body()).isEqualTo("count:1"));
    // A view is one plain HGETALL; the security context is read and encoded again at commit, and
    // not
    // written: its JSON is stable. A change adds the update script.
    assertThat(view).isEqualTo(1);
    assertThat(change).isEqualTo(2);
  }

  /**
   * Writes a stored form as it is, to plant what another (older, misconfigured) server could have
   * written.
   */
  private record Planted(String stored) {}

  private static final class PlantingCodec implements AttributeCodec {
    @Override
    public String encode(String name, Object value) {
      return ((Planted) value).stored();
    }

    @Override
    public Object decode(String name, String encoded) {
      return new Planted(encoded);
    }
  }

  @Test
  void aSecurityContextThatNoLongerDecodesLeavesTheUserAnonymousNeverA500() throws Exception {
    Client browser = new Client();
    browser.login(a, "alice");
    try (RedisSessionStore planter =
        RedisSessionStore.create(
            RedisOptions.fromUri(redis.uri()),
            SessionConfig.builder().codec(new PlantingCodec()).build())) {
      String planted =
          "{\"@springSecurity\":{\"@class\":\"com.example.RemovedPrincipalType\",\"name\":\"alice\"}}";
      assertThat(
              planter.update(
                  browser.cookie(COOKIE).orElseThrow(),
                  SessionChanges.builder()
                      .set("SPRING_SECURITY_CONTEXT", new Planted(planted))
                      .build()))
          .isTrue();
    }
    HttpResponse<String> page = browser.get(a.uri("/private"));
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(Client.location(page)).endsWith("/login");
    assertThat(browser.copy().asApi().get(a.uri("/api/me")).body())
        .isEqualTo("{\"error\":\"unauthenticated\"}");
    String log = Files.readString(Path.of("target/it.log"));
    assertThat(log)
        .contains(
            "attribute 'SPRING_SECURITY_CONTEXT' of type com.example.RemovedPrincipalType could not be"
                + " decoded: InvalidTypeIdException");
  }

  @Test
  void logoutEndsTheSessionInTheStoreWithLogoutOnEveryServer() {
    Client browser = new Client();
    browser.login(a, "alice");
    Client replay = browser.copy();
    HttpResponse<String> logout = browser.post(a.uri("/logout"), Map.of("_csrf", csrf(browser, a)));
    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(browser.cookie(COOKIE)).isEmpty();
    assertThat(storeA.listForUser("alice")).isEmpty();
    assertEnded(replay, b, "logout");
  }

  @Test
  void aThirdLoginEvictsTheOldestSessionWhichIsToldItWasReplaced() {
    Client first = new Client();
    first.login(a, "alice");
    Client second = new Client();
    second.login(b, "bob");
    second = new Client();
    second.login(a, "alice");
    Client third = new Client();
    HttpResponse<String> login = third.login(a, "alice");
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(storeA.listForUser("alice")).hasSize(2);
    assertEnded(first, a, "replaced");
    assertThat(second.get(b.uri("/private")).body()).isEqualTo("private:alice");
  }

  @Test
  void rejectNewTurnsIntoSpringSecuritysLoginFailure() {
    Client first = new Client();
    assertThat(first.login(b, "carol").statusCode()).isEqualTo(302);
    Client second = new Client();
    HttpResponse<String> refused = second.login(b, "carol");
    assertThat(refused.statusCode()).isEqualTo(302);
    assertThat(Client.location(refused)).endsWith("/login?error");
    assertThat(second.get(b.uri("/private")).statusCode()).isEqualTo(302);
    assertThat(storeA.listForUser("carol")).hasSize(1);
    assertThat(first.get(a.uri("/private")).body()).isEqualTo("private:carol");
  }

  @Test
  void maximumSessionsCountsTheUsersSessionsInTheStoreAndExpiresTheOldestThere() {
    Client first = new Client();
    first.login(c, "bob");
    // A session of bob made elsewhere counts too: the registry reads the store.
    Client elsewhere = new Client();
    elsewhere.login(a, "bob");
    assertThat(storeA.listForUser("bob")).hasSize(2);
    Client latest = new Client();
    assertThat(latest.login(c, "bob").statusCode()).isEqualTo(302);
    assertThat(latest.get(c.uri("/private")).body()).isEqualTo("private:bob");
    assertThat(storeA.listForUser("bob")).hasSize(1);
    assertEnded(first, a, "revoked");
  }

  @Test
  void anAdminListsAndExpiresAUsersSessionsThroughTheRegistry() {
    Client alice = new Client();
    alice.login(a, "alice");
    String handle = handleOf(alice, a);
    Client admin = new Client();
    admin.login(b, "dave");
    HttpResponse<String> list = admin.get(b.uri("/admin/sessions?user=alice"));
    assertThat(list.body()).isEqualTo(handle);
    HttpResponse<String> expire =
        admin.post(
            b.uri("/admin/expire?user=alice&handle=" + handle), Map.of("_csrf", csrf(admin, b)));
    assertThat(expire.body()).isEqualTo("expired:" + handle);
    assertEnded(alice, a, "revoked");
    assertThat(alice.get(b.uri("/admin/sessions?user=alice")).statusCode()).isEqualTo(302);
  }

  @Test
  void signOutEverywhereEndsTheOtherSessionsAndTheTokensAndKeepsThisOneIfAsked() throws Exception {
    Client laptop = new Client();
    laptop.login(a, "alice");
    Client phone = new Client();
    phone.login(a, "alice");
    String oldToken = jwt("alice", Instant.now().minusSeconds(5), true);
    assertThat(bearer(a, oldToken).statusCode()).isEqualTo(200);

    HttpResponse<String> changed =
        phone.post(a.uri("/api/password?keep=true"), Map.of("_csrf", csrf(phone, a)));
    assertThat(changed.body()).isEqualTo("ended:1");
    assertEnded(laptop, b, "all_revoked");
    assertThat(phone.get(b.uri("/private")).body()).isEqualTo("private:alice");
    assertThat(storeA.listForUser("alice")).hasSize(1);
    HttpResponse<String> refused = bearer(b, oldToken);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"invalid_token\"");

    HttpResponse<String> all =
        phone.post(a.uri("/api/password?keep=false"), Map.of("_csrf", csrf(phone, a)));
    assertThat(all.body()).isEqualTo("ended:1");
    assertThat(storeA.listForUser("alice")).isEmpty();
  }

  @Test
  void aRevokedJwtIsRefusedWithInvalidTokenOnTheOtherServer() throws Exception {
    Instant iat = Instant.now().minusSeconds(5);
    String token = jwt("erin", iat, true);
    HttpResponse<String> ok = bearer(b, token);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("resource:erin");

    SignedJWT parsed = SignedJWT.parse(token);
    tokensA.revoke(
        new TokenClaims(
            parsed.getJWTClaimsSet().getJWTID(),
            "erin",
            parsed.getJWTClaimsSet().getIssueTime().toInstant(),
            parsed.getJWTClaimsSet().getExpirationTime().toInstant()));
    HttpResponse<String> refused = bearer(b, token);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"invalid_token\"")
        .contains("The token was revoked");

    String other = jwt("erin", iat, true);
    assertThat(bearer(b, other).statusCode()).isEqualTo(200);
    Instant watermark = tokensA.revokeAllForUser("erin", null);
    assertThat(bearer(b, other).statusCode()).isEqualTo(401);
    // The watermark is widened by the clock skew: a token issued at or after it passes.
    assertThat(bearer(a, jwt("erin", watermark.plusSeconds(1), true)).statusCode()).isEqualTo(200);
    // No jti: the whole token is its id. No iat: refused, its revocation cannot be decided.
    assertThat(bearer(a, jwt("frank", Instant.now().minusSeconds(5), false)).statusCode())
        .isEqualTo(200);
    assertThat(bearer(a, jwtWithoutIat("frank")).statusCode()).isEqualTo(401);
  }

  private String jwt(String subject, Instant issuedAt, boolean withId) throws JOSEException {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .issueTime(Date.from(issuedAt))
            .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    if (withId) {
      claims.jwtID(UUID.randomUUID().toString());
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    jwt.sign(new MACSigner(jwtKey));
    return jwt.serialize();
  }

  private String jwtWithoutIat(String subject) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build());
    jwt.sign(new MACSigner(jwtKey));
    return jwt.serialize();
  }

  private static HttpResponse<String> bearer(SecurityApp app, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(app.uri("/resource/hello"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
