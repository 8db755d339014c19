package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessResult;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.redis.RedisTokenRevocationService;
import io.sessionkit.servlet.BearerRevocationFilter;
import io.sessionkit.servlet.SessionFilter;
import io.sessionkit.servlet.TokenVerification;
import io.sessionkit.servlet.TokenVerifier;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The code of the README's quick start, compiled and run here so the README cannot drift from the
 * API. Each block below is the README's, apart from the store construction (in memory here; the
 * README shows Redis, whose construction is compiled in {@link #redisConstructionCompiles()}).
 */
class ReadmeQuickStartTest {

  @Test
  void theApiWalkThroughBehavesAsTheReadmeSays() {
    SessionConfig config =
        SessionConfig.builder()
            .ttlPolicy(TtlPolicy.idleAndAbsolute(Duration.ofMinutes(30), Duration.ofHours(12)))
            .loginPolicy(LoginPolicy.maxSessionsPerUser(3, OnLimit.EVICT_OLDEST))
            .build();
    try (SessionStore sessions = InMemorySessionStore.create(config);
        TokenRevocationService tokens =
            InMemoryTokenRevocationService.create(RevocationConfig.defaults(), sessions)) {

      // --- README: "The API" ---
      Session anonymous = sessions.create();
      Session alice =
          sessions.login(anonymous.id(), "alice").sessionOrThrow(); // new id: fixation-safe
      sessions.update(alice.id(), SessionChanges.builder().set("theme", "dark").build());

      AccessResult r = sessions.access(alice.id()); // validate + touch + read: one round trip
      String theme = r.session().orElseThrow().attribute("theme", String.class).orElse("light");

      sessions.delete(alice.id(), EndReason.LOGOUT);
      sessions.access(alice.id()).endReason(); // Optional[LOGOUT], on every server

      // A password change: every token and every other session of alice, everywhere.
      tokens.revokeAllForUser("alice", null);
      // --- end ---

      assertThat(sessions.access(anonymous.id()).isActive()).isFalse();
      assertThat(theme).isEqualTo("dark");
      assertThat(sessions.access(alice.id()).endReason()).contains(EndReason.LOGOUT);
      TokenCheck old =
          tokens.check(
              new TokenClaims(
                  "jti-1",
                  "alice",
                  Instant.now().minusSeconds(60),
                  Instant.now().plusSeconds(600)));
      assertThat(old.reason()).contains(RevocationReason.ALL_REVOKED);
    }
  }

  @Test
  void theBearerVerifierShapeCompilesAndAnswers() {
    // --- README: "The Bearer filter" (verifier part) ---
    TokenVerifier verifier =
        raw -> {
          Instant now = Instant.now();
          return raw.startsWith("good")
              ? TokenVerification.valid(new TokenClaims(raw, "alice", now, now.plusSeconds(900)))
              : TokenVerification.invalid("bad signature");
        };
    // --- end ---
    assertThat(verifier.verify("good-1").isValid()).isTrue();
    assertThat(verifier.verify("forged").problem()).contains("bad signature");
  }

  /** Never called: proves the README's Redis and filter registration code compiles. */
  @SuppressWarnings("unused")
  static void redisConstructionCompiles(ServletContext servletContext, TokenVerifier verifier) {
    // --- README: "On Redis" ---
    RedisConnector redis = RedisConnector.connect(RedisOptions.fromUri("redis://localhost:6379"));
    SessionStore sessions = RedisSessionStore.create(redis, SessionConfig.defaults());
    TokenRevocationService tokens =
        RedisTokenRevocationService.create(redis, RevocationConfig.defaults(), sessions);
    // --- README: "The servlet filter" ---
    SessionFilter.builder(sessions).register(servletContext);
    // --- README: "The Bearer filter" (registration) ---
    BearerRevocationFilter.builder(tokens, verifier).register(servletContext, "/api/*");
  }

  @Test
  void redisConstructionCompiles() throws NoSuchMethodException {
    assertThat(
            ReadmeQuickStartTest.class.getDeclaredMethod(
                "redisConstructionCompiles", ServletContext.class, TokenVerifier.class))
        .isNotNull();
  }
}
