package io.sessionkit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisTokenRevocationService;
import io.sessionkit.spring.boot.apps.resource.ResourceApp;
import io.sessionkit.spring.boot.apps.stock.StockApp;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The stock app ({@link StockApp}: Boot's default Spring Security, no SessionKit code) as two
 * instances on real ports sharing one real redis-server, driven over real HTTP as browsers would:
 * one login, one CSRF token, one logout and one login limit for the whole cluster.
 */
class TwoInstancesIT {
  static final String USER = "alice";
  static final String PASSWORD = "wonderland";

  static RedisServer redis;
  static ConfigurableApplicationContext a;
  static ConfigurableApplicationContext b;
  static ConfigurableApplicationContext resourceServer;
  static int portA;
  static int portB;
  static int portR;
  static KeyPair keys;

  @BeforeAll
  static void start() {
    redis = RedisServers.standalone();
    // The README's Spring Boot properties, with the Redis URL pointed at this test's server.
    Map<String, String> readme =
        new LinkedHashMap<>(
            readmeBlock("properties")
                .lines()
                .filter(l -> l.contains("=") && !l.startsWith("#"))
                .collect(
                    Collectors.toMap(
                        l -> l.substring(0, l.indexOf('=')).strip(),
                        l -> l.substring(l.indexOf('=') + 1).strip(),
                        (x, y) -> y,
                        LinkedHashMap::new)));
    assertThat(readme).containsKeys("spring.data.redis.url", "sessionkit.login.max-sessions");
    readme.put("spring.data.redis.url", redis.uri());
    readme.put("spring.security.user.name", USER);
    readme.put("spring.security.user.password", PASSWORD);
    String[] properties =
        readme.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    a = Boot.start(StockApp.class, properties);
    b = Boot.start(StockApp.class, properties);
    portA = Boot.port(a);
    portB = Boot.port(b);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
      Path pem = Files.createTempFile("jwt-public", ".pem");
      pem.toFile().deleteOnExit();
      Files.writeString(
          pem,
          "-----BEGIN PUBLIC KEY-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'})
                  .encodeToString(keys.getPublic().getEncoded())
              + "\n-----END PUBLIC KEY-----\n");
      resourceServer =
          Boot.start(
              ResourceApp.class,
              "spring.data.redis.host=127.0.0.1",
              "spring.data.redis.port=" + redis.port(),
              "spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + pem);
      portR = Boot.port(resourceServer);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (resourceServer != null) {
      resourceServer.close();
    }
    if (redis != null) {
      redis.close();
    }
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

  @Test
  void aLoginOnAIsKnownOnBAndTheSavedRequestSurvivesTheLogin() {
    Browser browser = new Browser();
    Browser.Response protectedPage = browser.get(portA, "/counter");
    assertThat(protectedPage.status()).isEqualTo(302);
    assertThat(protectedPage.location()).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

    Browser.Response loggedIn = login(browser, portA);
    assertThat(loggedIn.location()).hasValueSatisfying(l -> assertThat(l).contains("/counter"));

    // the redirect after the login is followed on the other instance, which replays the saved
    // request
    String savedRequest = loggedIn.location().orElseThrow().replaceFirst("^https?://[^/]+", "");
    Browser.Response onB = browser.get(portB, savedRequest);
    assertThat(onB.status()).as(onB.body()).isEqualTo(200);
    assertThat(onB.body()).isEqualTo("count=1");
    assertThat(browser.get(portB, "/me").body()).isEqualTo(USER);
    assertThat(browser.get(portA, "/counter").body()).isEqualTo("count=2");
    assertThat(browser.cookies()).containsOnlyKeys("__Host-sid");
  }

  @Test
  void aCsrfTokenFromAIsAcceptedOnBAndAForgedOneIsNot() {
    Browser browser = new Browser();
    login(browser, portA);
    String token = browser.get(portA, "/csrf").body();
    assertThat(browser.post(portB, "/echo", Map.of("_csrf", token)).body()).isEqualTo("posted");
    assertThat(browser.post(portB, "/echo", Map.of("_csrf", "forged")).status()).isEqualTo(403);
  }

  @Test
  void aLogoutOnBIsRefusedOnAAtOnceAndTheUserIsToldWhy() {
    Browser browser = new Browser();
    login(browser, portA);
    Browser stolenCookie = copyOf(browser);
    String token = browser.get(portA, "/csrf").body();

    Browser.Response logout = browser.post(portB, "/logout", Map.of("_csrf", token));
    assertThat(logout.status()).isEqualTo(302);
    assertThat(logout.location()).hasValueSatisfying(l -> assertThat(l).contains("/login?logout"));

    Browser.Response onA = stolenCookie.get(portA, "/counter");
    assertThat(onA.status()).isEqualTo(302);
    assertThat(onA.location())
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?reason=logout"));
    assertThat(a.getBean(SessionStore.class).listForUser(USER)).isEmpty();
  }

  @Test
  void withMaxSessionsOneTheSecondLoginOnBSignsTheFirstBrowserOutOnAAndItIsToldWhy() {
    Browser first = new Browser();
    login(first, portA);
    Browser second = new Browser();
    login(second, portB);

    Browser.Response firstAgain = first.get(portA, "/counter");
    assertThat(firstAgain.status()).isEqualTo(302);
    assertThat(firstAgain.location())
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?reason=replaced"));
    assertThat(second.get(portA, "/me").body()).isEqualTo(USER);
    assertThat(a.getBean(SessionStore.class).listForUser(USER)).hasSize(1);
  }

  @Test
  void twentyConcurrentLoginsOfOneUserOverBothInstancesLeaveExactlyTheLimit() throws Exception {
    int n = 20;
    List<Browser> browsers = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Browser browser = new Browser();
      tokens.add(browser.get(port(i), "/login").csrf());
      browsers.add(browser);
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Browser.Response>> logins = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        logins.add(
            pool.submit(
                () -> {
                  go.await();
                  return browsers
                      .get(k)
                      .post(
                          port(k),
                          "/login",
                          Map.of("username", USER, "password", PASSWORD, "_csrf", tokens.get(k)));
                }));
      }
      go.countDown();
      for (Future<Browser.Response> f : logins) {
        assertThat(f.get().status()).isEqualTo(302);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(a.getBean(SessionStore.class).listForUser(USER)).hasSize(1);
    int signedIn = 0;
    for (int i = 0; i < n; i++) {
      if (browsers.get(i).get(port(i + 1), "/me").status() == 200) {
        signedIn++;
      }
    }
    assertThat(signedIn).isEqualTo(1);
  }

  @Test
  void bootsSessionTimeoutIsTheIdleTimeoutOfTheSessionsInRedis() {
    Browser browser = new Browser();
    login(browser, portA);
    List<SessionInfo> sessions = b.getBean(SessionStore.class).listForUser(USER);
    assertThat(sessions)
        .singleElement()
        .satisfies(
            s ->
                assertThat(Duration.between(s.lastAccessedAt(), s.expiresAt()))
                    .isEqualTo(Duration.ofMinutes(45)));
  }

  @Test
  void aJwtRevokedOnAIsRefusedByAResourceServerOnAnotherInstance() throws Exception {
    Instant now = Instant.now();
    String jti = "jti-" + System.nanoTime();
    String jwt = signedJwt(jti, USER, now, now.plusSeconds(600));
    Browser api = new Browser();
    Browser.Response before =
        api.get(portR, "/api/me", "Authorization", "Bearer " + jwt, "Accept", "application/json");
    assertThat(before.status()).as(before.body()).isEqualTo(200);
    assertThat(before.body()).isEqualTo(USER);

    a.getBean(TokenRevocationService.class)
        .revoke(new TokenClaims(jti, USER, now, now.plusSeconds(600)));

    Browser.Response after =
        api.get(portR, "/api/me", "Authorization", "Bearer " + jwt, "Accept", "application/json");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.header("WWW-Authenticate"))
        .hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
  }

  static String signedJwt(String jti, String subject, Instant issuedAt, Instant expiresAt)
      throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .jwtID(jti)
            .subject(subject)
            .issueTime(Date.from(issuedAt))
            .expirationTime(Date.from(expiresAt))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    jwt.sign(new RSASSASigner(keys.getPrivate()));
    return jwt.serialize();
  }

  @Test
  void theReadmeAddsTheStarterThisBuildMakes() throws Exception {
    String dependency = readmeBlock("xml");
    assertThat(dependency)
        .contains("<groupId>io.sessionkit</groupId>")
        .contains("<artifactId>session-spring-boot-starter</artifactId>");
    String starterPom = Files.readString(Path.of("..", "session-spring-boot-starter", "pom.xml"));
    assertThat(starterPom).contains("<artifactId>session-spring-boot-starter</artifactId>");
    Matcher version =
        Pattern.compile("<artifactId>sessionkit-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(starterPom);
    assertThat(version.find()).isTrue();
    assertThat(dependency).contains("<version>" + version.group(1) + "</version>");
  }

  /** The first fenced block of the given language in the README's "Spring Boot" section. */
  static String readmeBlock(String language) {
    try {
      String readme = Files.readString(Path.of("..", "README.md"));
      int start = readme.indexOf("\n## Spring Boot\n");
      assertThat(start).as("README.md has a Spring Boot section").isPositive();
      int end = readme.indexOf("\n## ", start + 1);
      String section = readme.substring(start, end < 0 ? readme.length() : end);
      int open = section.indexOf("```" + language + "\n");
      assertThat(open)
          .as("a %s block in the README's Spring Boot section", language)
          .isNotNegative();
      int from = open + language.length() + 4;
      return section.substring(from, section.indexOf("```", from));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Browser.Response login(Browser browser, int port) {
    String token = browser.get(port, "/login").csrf();
    Browser.Response r =
        browser.post(
            port, "/login", Map.of("username", USER, "password", PASSWORD, "_csrf", token));
    assertThat(r.status()).as("login: %s %s", r.headers().map(), r.body()).isEqualTo(302);
    assertThat(r.location()).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    return r;
  }

  static Browser copyOf(Browser browser) {
    Browser copy = new Browser();
    copy.cookies().putAll(browser.cookies());
    return copy;
  }

  static int port(int i) {
    return i % 2 == 0 ? portA : portB;
  }
}
