package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every page and endpoint of the demo, over real HTTP against both nodes (A on Jetty, B on Tomcat),
 * with cookies kept by hand. Subclasses choose the store. A mutable clock drives time: timeouts,
 * token expiry, the refresh grace window and eviction order are moved, never waited for.
 */
abstract class DemoBehaviourSuite {
  private static final String JSON = "application/json";

  private @Nullable Demo demo;
  private MutableClock clock = MutableClock.startingNow();
  private int a;
  private int b;

  /** The settings of the store under test; ports are chosen free by the suite. */
  abstract DemoSettings settings();

  /** Called before each test, e.g. to flush Redis. */
  void reset() {}

  @BeforeEach
  void startDemo() {
    reset();
    clock = MutableClock.startingNow();
    demo = Demo.start(settings().withPorts(0, 0), clock);
    a = demo.portA();
    b = demo.portB();
  }

  @AfterEach
  void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  private DemoClient signedIn(String agent, String user, int port) {
    DemoClient c = new DemoClient(agent);
    c.login(port, user, "demo");
    // Later logins are later: the least recently active session is then well defined.
    clock.advance(Duration.ofSeconds(1));
    return c;
  }

  // ---- pages ------------------------------------------------------------------------------------

  @Test
  void homeWithoutSessionShowsTheLoginFormAndDemoUsersOnBothNodes() {
    DemoClient c = new DemoClient("Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0");
    for (int port : new int[] {a, b}) {
      DemoClient.Response r = c.get(port, "/");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      assertThat(r.body())
          .contains(
              "id=\"login-form\"", "<code>alice</code>", "<code>bob</code>", "<code>demo</code>");
      assertThat(r.setCookies()).as("showing the form creates no session").isEmpty();
    }
    assertThat(c.get(a, "/").body()).contains("node A", "Jetty 12");
    assertThat(c.get(b, "/").body()).contains("node B", "Tomcat 11");
  }

  @Test
  void wrongPasswordShowsTheFormAgainWith401AndNoCookie() {
    DemoClient c = new DemoClient("curl/8.0");
    DemoClient.Response r = c.post(a, "/login", Map.of("user", "alice", "password", "nope"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).contains("Wrong user name or password", "id=\"login-form\"");
    assertThat(r.setCookies()).isEmpty();
    assertThat(c.post(a, "/login", Map.of("user", "mallory", "password", "demo")).status())
        .isEqualTo(401);
    assertThat(c.post(a, "/login", Map.of()).status()).isEqualTo(401);
  }

  @Test
  void loginAnswers303WithTheSecureHostOnlySessionCookie() {
    DemoClient c = new DemoClient("curl/8.0");
    DemoClient.Response r = c.login(a, "alice", "demo");
    assertThat(r.setCookies())
        .singleElement()
        .satisfies(
            sc -> {
              assertThat(sc).startsWith(DemoClient.COOKIE + "=");
              assertThat(sc)
                  .contains("Path=/", "Secure", "HttpOnly", "SameSite=Lax")
                  .doesNotContain("Domain", "Max-Age");
            });
    assertThat(r.body())
        .as("the id travels only in Set-Cookie")
        .doesNotContain(c.cookie().orElseThrow());
  }

  @Test
  void theSameUserIsSignedInOnBothNodes() {
    DemoClient c = signedIn("curl/8.0", "alice", a);
    JsonNode onA = c.get(a, "/api/me").json();
    JsonNode onB = c.get(b, "/api/me").json();
    assertThat(onA.path("user").asText()).isEqualTo("alice");
    assertThat(onA.path("node").asText()).isEqualTo("A");
    assertThat(onB.path("user").asText()).isEqualTo("alice");
    assertThat(onB.path("node").asText()).isEqualTo("B");
    assertThat(onB.path("handle").asText()).isEqualTo(onA.path("handle").asText()).hasSize(22);
    assertThat(onB.path("createdAt").asText()).isEqualTo(onA.path("createdAt").asText());
    assertThat(onB.path("expiresAt").asText()).isNotEmpty();
    assertThat(onA.toString()).doesNotContain(c.cookie().orElseThrow());
  }

  @Test
  void signedInPageShowsUserNodeTimesDevicesActionsAndTheOtherNode() {
    DemoClient c = signedIn("Mozilla/5.0 (X11; Linux x86_64) Chrome/150.0", "alice", a);
    String handle = c.get(a, "/api/me").json().path("handle").asText();
    String pageB = c.get(b, "/").body();
    assertThat(pageB)
        .contains(
            "id=\"user\">alice<",
            "node B",
            "Expires",
            "Created",
            handle,
            "Chrome on Linux",
            "(this device)",
            "action=\"/logout\"",
            "action=\"/logout-all\"",
            "action=\"/password\"",
            "href=\"http://127.0.0.1:" + a + "/\"");
    assertThat(c.get(a, "/").body()).contains("href=\"http://127.0.0.1:" + b + "/\"");
  }

  @Test
  void apiMeWithoutSessionIs401NoSession() {
    DemoClient c = new DemoClient("curl/8.0");
    DemoClient.Response r = c.get(b, "/api/me");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isEqualTo("no_session");
    c.setCookie("garbage*{:}");
    assertThat(c.get(a, "/api/me").json().path("error").asText()).isEqualTo("no_session");
  }

  @Test
  void loginRenewsTheIdAndTheOldIdIsDead() {
    DemoClient c = signedIn("curl/8.0", "alice", a);
    String first = c.cookie().orElseThrow();
    c.login(b, "bob", "demo");
    String second = c.cookie().orElseThrow();
    assertThat(second).isNotEqualTo(first);
    assertThat(c.get(a, "/api/me").json().path("user").asText()).isEqualTo("bob");
    DemoClient replay = new DemoClient("curl/8.0");
    replay.setCookie(first);
    assertThat(replay.get(a, "/api/me").status()).isEqualTo(401);
  }

  // ---- kick-out, logout -----------------------------------------------------------------------

  @Test
  void aLoginPastTheLimitSignsOutTheLeastRecentlyActiveSession() {
    int max = settings().maxSessionsPerUser();
    List<DemoClient> clients = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      clients.add(signedIn("client-" + i, "alice", i % 2 == 0 ? a : b));
    }
    DemoClient first = clients.get(0);
    DemoClient.Response r = first.get(b, "/api/me");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isEqualTo("session_ended");
    assertThat(r.json().path("reason").asText()).isEqualTo("replaced");
    for (DemoClient c : clients.subList(1, clients.size())) {
      assertThat(c.get(a, "/api/me").status()).isEqualTo(200);
    }
    assertThat(clients.get(1).get(a, "/api/sessions").json().path("sessions")).hasSize(max);
  }

  @Test
  void aBrowserSignedOutByANewerLoginIsToldWhy() {
    List<DemoClient> clients = new ArrayList<>();
    for (int i = 0; i <= settings().maxSessionsPerUser(); i++) {
      clients.add(signedIn("Mozilla/5.0 browser-" + i, "alice", a));
    }
    DemoClient.Response page = clients.get(0).get(a, "/", "Accept", "text/html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"login-form\"", "signed in elsewhere");
    assertThat(clients.get(0).cookie()).as("the dead id's cookie is cleared").isEmpty();
  }

  @Test
  void logoutEndsTheSessionOnBothNodes() {
    DemoClient c = signedIn("curl/8.0", "alice", a);
    String id = c.cookie().orElseThrow();
    DemoClient.Response r = c.post(b, "/logout");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("signed_out").asBoolean()).isTrue();
    assertThat(c.cookie()).isEmpty();
    DemoClient replay = new DemoClient("curl/8.0");
    replay.setCookie(id);
    assertThat(replay.get(a, "/api/me").status()).isEqualTo(401);
    assertThat(c.post(a, "/logout").json().path("signed_out").asBoolean()).isFalse();
  }

  @Test
  void browserFormPostsRedirectHome() {
    DemoClient c = signedIn("Mozilla/5.0", "alice", a);
    DemoClient.Response r = c.post(a, "/logout", "Accept", "text/html");
    assertThat(r.status()).isEqualTo(303);
    assertThat(r.header("Location")).contains("/");
  }

  @Test
  void logoutAllEndsEverySessionOfTheUser() {
    DemoClient one = signedIn("one", "alice", a);
    DemoClient two = signedIn("two", "alice", b);
    DemoClient bob = signedIn("bob", "bob", b);
    DemoClient.Response r = one.post(b, "/logout-all");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("sessions_ended").asInt()).isEqualTo(2);
    for (DemoClient c : List.of(one, two)) {
      JsonNode me = c.get(a, "/api/me").json();
      assertThat(me.path("error").asText()).isEqualTo("session_ended");
      assertThat(me.path("reason").asText()).isEqualTo("all_revoked");
    }
    assertThat(bob.get(a, "/api/me").status()).isEqualTo(200);
    assertThat(new DemoClient("x").post(a, "/logout-all").json().path("error").asText())
        .isEqualTo("no_session");
  }

  @Test
  void passwordChangeRevokesEveryOtherSessionAndEveryTokenOfTheUser() {
    DemoClient changer = signedIn("changer", "alice", a);
    DemoClient other = signedIn("other", "alice", b);
    JsonNode tokens = other.post(a, "/api/token").json();
    String access = tokens.path("access_token").asText();
    String refresh = tokens.path("refresh_token").asText();
    assertThat(bearerMe(b, access).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));

    DemoClient.Response r = changer.post(b, "/password", Map.of("password", "s3cret!"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("other_sessions_ended").asInt()).isEqualTo(1);

    assertThat(changer.get(a, "/api/me").status()).as("the changing session stays").isEqualTo(200);
    JsonNode otherMe = other.get(a, "/api/me").json();
    assertThat(otherMe.path("reason").asText()).isEqualTo("all_revoked");
    DemoClient.Response me = bearerMe(a, access);
    assertThat(me.status()).isEqualTo(401);
    assertThat(me.json().path("reason").asText()).isEqualTo("all_revoked");
    DemoClient.Response refreshed =
        new DemoClient("x").post(b, "/api/token/refresh", Map.of("refresh_token", refresh));
    assertThat(refreshed.status()).isEqualTo(401);
    assertThat(refreshed.json().path("reason").asText()).isEqualTo("revoked");

    // The user's watermark is the change's time plus the clock skew allowed between servers, so a
    // token issued within the skew is refused too (the documented trade-off); one issued after is
    // good.
    String tooSoon = changer.post(a, "/api/token").json().path("access_token").asText();
    assertThat(bearerMe(b, tooSoon).status()).isEqualTo(401);
    clock.advance(RevocationConfig.DEFAULT_CLOCK_SKEW);
    String fresh = changer.post(a, "/api/token").json().path("access_token").asText();
    assertThat(bearerMe(b, fresh).status()).isEqualTo(200);

    assertThat(
            new DemoClient("x")
                .post(a, "/login", Map.of("user", "alice", "password", "demo"))
                .status())
        .isEqualTo(401);
    new DemoClient("x").login(a, "alice", "s3cret!");
    assertThat(changer.post(a, "/password", Map.of("password", "ab")).status()).isEqualTo(400);
  }

  @Test
  void sessionsAreListedAndOneCanBeRevokedByHandle() {
    DemoClient one = signedIn("one", "alice", a);
    DemoClient two = signedIn("two", "alice", b);
    DemoClient bob = signedIn("bob", "bob", a);
    JsonNode list = one.get(b, "/api/sessions").json();
    assertThat(list.path("user").asText()).isEqualTo("alice");
    assertThat(list.path("sessions")).hasSize(2);
    String mine = one.get(a, "/api/me").json().path("handle").asText();
    String theirs = two.get(a, "/api/me").json().path("handle").asText();
    JsonNode current = null;
    for (JsonNode s : list.path("sessions")) {
      if (s.path("current").asBoolean()) {
        current = s;
      }
    }
    assertThat(current).isNotNull();
    assertThat(current.path("handle").asText()).isEqualTo(mine);
    assertThat(current.path("device").asText()).isEqualTo("one");

    String bobs = bob.get(a, "/api/me").json().path("handle").asText();
    assertThat(one.post(a, "/api/sessions/" + bobs + "/revoke").status())
        .as("not alice's")
        .isEqualTo(404);
    assertThat(bob.get(a, "/api/me").status()).isEqualTo(200);

    DemoClient.Response r = one.post(a, "/api/sessions/" + theirs + "/revoke");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("revoked").asBoolean()).isTrue();
    assertThat(two.get(b, "/api/me").json().path("reason").asText()).isEqualTo("revoked");
    assertThat(one.post(a, "/api/sessions/" + theirs + "/revoke").status()).isEqualTo(404);
    assertThat(one.get(a, "/api/sessions").json().path("sessions")).hasSize(1);
    assertThat(new DemoClient("x").get(a, "/api/sessions").status()).isEqualTo(401);
  }

  // ---- tokens ---------------------------------------------------------------------------------

  @Test
  void tokensAreIssuedToASignedInUserAndAcceptedOnBothNodes() {
    assertThat(new DemoClient("x").post(a, "/api/token").json().path("error").asText())
        .isEqualTo("no_session");
    DemoClient c = signedIn("curl/8.0", "alice", a);
    JsonNode t = c.post(b, "/api/token").json();
    assertThat(t.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(t.path("expires_in").asLong()).isEqualTo(900);
    String access = t.path("access_token").asText();
    for (int port : new int[] {a, b}) {
      DemoClient.Response me = bearerMe(port, access);
      assertThat(me.status()).isEqualTo(200);
      assertThat(me.json().path("user").asText()).isEqualTo("alice");
      assertThat(me.json().path("node").asText()).isEqualTo(port == a ? "A" : "B");
    }
    String header =
        new String(Base64.getUrlDecoder().decode(access.split("\\.")[0]), StandardCharsets.UTF_8);
    assertThat(header).contains("\"alg\":\"HS256\"");
    String payload =
        new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]), StandardCharsets.UTF_8);
    assertThat(payload).containsPattern("\"iat\":\\d+\\.\\d{1,3}");
  }

  @Test
  void tokenMeRefusesMissingForgedAndExpiredTokensWithTheReason() {
    DemoClient c = signedIn("curl/8.0", "alice", a);
    String access = c.post(a, "/api/token").json().path("access_token").asText();

    DemoClient.Response missing = new DemoClient("x").get(a, "/api/token/me");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().path("error").asText()).isEqualTo("missing_token");

    String[] parts = access.split("\\.");
    String none =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    for (String forged :
        List.of(
            none + "." + parts[1] + ".",
            none + "." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2) + "AA",
            "not-a-jwt")) {
      DemoClient.Response r = bearerMe(b, forged);
      assertThat(r.status()).as(forged).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
      assertThat(r.json().path("error").asText()).isEqualTo("invalid_token");
    }

    clock.advance(DemoJwt.ACCESS_TOKEN_TTL.plusSeconds(1));
    DemoClient.Response expired = bearerMe(a, access);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json().path("reason").asText()).isEqualTo("expired");
  }

  @Test
  void refreshRotatesWithAGraceWindowAndReuseRevokesTheFamily() {
    DemoClient c = signedIn("curl/8.0", "alice", a);
    String refresh = c.post(a, "/api/token").json().path("refresh_token").asText();
    DemoClient api = new DemoClient("app/1.0");

    JsonNode first = api.post(b, "/api/token/refresh", Map.of("refresh_token", refresh)).json();
    String next = first.path("refresh_token").asText();
    assertThat(next).isNotEqualTo(refresh);
    assertThat(bearerMe(a, first.path("access_token").asText()).status()).isEqualTo(200);

    JsonNode retry = api.post(a, "/api/token/refresh", Map.of("refresh_token", refresh)).json();
    assertThat(retry.path("retry").asBoolean()).as("a retry within the grace window").isTrue();
    assertThat(retry.path("refresh_token").asText()).isEqualTo(next);

    clock.advance(Duration.ofMinutes(1));
    DemoClient.Response reuse = api.post(a, "/api/token/refresh", Map.of("refresh_token", refresh));
    assertThat(reuse.status()).isEqualTo(401);
    assertThat(reuse.json().path("reason").asText()).isEqualTo("reused");
    DemoClient.Response family = api.post(b, "/api/token/refresh", Map.of("refresh_token", next));
    assertThat(family.status()).isEqualTo(401);
    assertThat(family.json().path("error").asText()).isEqualTo("invalid_grant");

    assertThat(
            api.post(b, "/api/token/refresh", Map.of("refresh_token", "garbage"))
                .json()
                .path("reason")
                .asText())
        .isEqualTo("malformed");
  }

  @Test
  void revokedTokensAreRefusedOnBothNodesAndRevocationNeverTellsWhatItFound() {
    DemoClient c = signedIn("curl/8.0", "alice", a);
    JsonNode t = c.post(a, "/api/token").json();
    String access = t.path("access_token").asText();
    String refresh = t.path("refresh_token").asText();
    DemoClient api = new DemoClient("app/1.0");

    DemoClient.Response r =
        api.post(
            a,
            "/api/token/revoke",
            Map.of("refresh_token", refresh),
            "Authorization",
            "Bearer " + access);
    assertThat(r.status()).isEqualTo(200);
    for (int port : new int[] {a, b}) {
      DemoClient.Response me = bearerMe(port, access);
      assertThat(me.status()).isEqualTo(401);
      assertThat(me.json().path("reason").asText()).isEqualTo("revoked");
    }
    assertThat(api.post(b, "/api/token/refresh", Map.of("refresh_token", refresh)).status())
        .isEqualTo(401);
    DemoClient.Response again =
        api.post(
            b,
            "/api/token/revoke",
            Map.of("refresh_token", "garbage"),
            "Authorization",
            "Bearer garbage");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(r.body());
  }

  // ---- time and HTTP edges --------------------------------------------------------------------

  @Test
  void anIdleSessionEndsOnTheServerWhateverTheCookieSays() {
    DemoClient c = signedIn("curl/8.0", "alice", a);
    clock.advance(settings().idleTimeout().plusSeconds(1));
    DemoClient.Response r = c.get(b, "/api/me");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isIn("no_session", "session_ended");
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() {
    DemoClient c = new DemoClient("curl/8.0");
    assertThat(c.get(a, "/nope").status()).isEqualTo(404);
    assertThat(c.get(b, "/nope").status()).isEqualTo(404);
    assertThat(c.get(a, "/login").status()).isEqualTo(405);
    assertThat(c.post(b, "/api/me").status()).isEqualTo(405);
    assertThat(c.get(a, "/logout").header("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith(JSON));
  }

  private DemoClient.Response bearerMe(int port, String token) {
    return new DemoClient("app/1.0").get(port, "/api/token/me", "Authorization", "Bearer " + token);
  }
}
