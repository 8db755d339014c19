package io.sessionkit.examples;

import io.sessionkit.core.AccessResult;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RefreshTokenService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.redis.RedisTokenRevocationService;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A walk through the programmatic API, printing each step and its result: create, access, login
 * with fixation protection, kick-out at a limit of one session, token revocation, refresh-token
 * reuse detection, and "revoke everything" after a password change.
 *
 * <p>Runs on the in-memory store, or on Redis with {@code --redis URI} (or {@code REDIS_URL}):
 * {@code ./demo example} or {@code ./demo example --redis redis://127.0.0.1:6379}. Exits with 1 if
 * a step did not behave as printed.
 */
public final class ProgrammaticExample {
  private static final String USER = "alice";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrintStream out;
  private int step;
  private int failures;

  private ProgrammaticExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the walk-through.
   *
   * @param args nothing, or {@code --redis URI}
   */
  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.log.io.sessionkit.audit", "warn");
    int status = run(args, System.getenv(), System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the walk-through, printing to {@code out}; returns the exit status. */
  static int run(String[] args, Map<String, String> env, PrintStream out) {
    String redis = env.get("REDIS_URL");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--redis") && i + 1 < args.length) {
        redis = args[++i];
      } else if (args[i].startsWith("--redis=")) {
        redis = args[i].substring("--redis=".length());
      } else {
        out.println("usage: ./demo example [--redis URI]");
        return 2;
      }
    }
    if (redis != null && redis.isBlank()) {
      redis = null;
    }
    // Millisecond ticks: token issue times (JWT iat) carry milliseconds, and so do the watermarks.
    Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    SessionConfig sessions =
        SessionConfig.builder()
            .ttlPolicy(TtlPolicy.idleAndAbsolute(Duration.ofMinutes(30), Duration.ofHours(8)))
            .loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.EVICT_OLDEST))
            .clock(clock)
            .build();
    // No grace window, so that presenting a spent refresh token again is reuse at once.
    RevocationConfig revocation =
        RevocationConfig.builder().clock(clock).refreshGraceWindow(Duration.ZERO).build();
    ProgrammaticExample example = new ProgrammaticExample(out);
    if (redis == null) {
      out.println("SessionKit programmatic example, on the in-memory store");
      try (InMemorySessionStore store = InMemorySessionStore.create(sessions);
          InMemoryTokenRevocationService tokens =
              InMemoryTokenRevocationService.create(revocation, store)) {
        example.walk(store, tokens, tokens, clock);
      }
    } else {
      out.println("SessionKit programmatic example, on " + DemoBackend.maskPassword(redis));
      try (RedisConnector connector =
              RedisConnector.connect(
                  RedisOptions.builder().uri(redis).keyPrefix("sk-example:").build());
          RedisSessionStore store = RedisSessionStore.create(connector, sessions);
          RedisTokenRevocationService tokens =
              RedisTokenRevocationService.create(connector, revocation, store)) {
        // A clean start: sessions of an earlier run would count against the limit.
        store.deleteAllForUser(USER, null, EndReason.REVOKED);
        example.walk(store, tokens, tokens, clock);
      }
    }
    if (example.failures == 0) {
      out.println("All " + example.step + " steps behaved as expected.");
      return 0;
    }
    out.println("FAILED: " + example.failures + " check(s) did not hold.");
    return 1;
  }

  private void walk(
      SessionStore store, TokenRevocationService tokens, RefreshTokenService refresh, Clock clock) {
    // 1. An anonymous session, created with its first attribute in one call.
    Session anonymous = store.create(SessionChanges.builder().set("cart", List.of("book")).build());
    print(
        "create",
        "anonymous session "
            + anonymous.handle()
            + ", user "
            + anonymous.userId().orElse("(none)")
            + ", cart "
            + anonymous.attribute("cart").orElse(null),
        anonymous.userId().isEmpty());

    // 2. Access: validate the id, extend the idle timeout (coalesced), read, in one step.
    AccessResult accessed = store.access(anonymous.id());
    print(
        "access",
        "active "
            + accessed.isActive()
            + ", cart "
            + accessed.session().flatMap(s -> s.attribute("cart")).orElse(null)
            + ", expires "
            + accessed.session().map(Session::expiresAt).orElse(null),
        accessed.isActive());

    // 3. Login: a new id in alice's slot (fixation protection); the old id dies; the cart carries
    // over because it is named (by default nothing does: anyone can plant an anonymous session).
    LoginResult login =
        store.login(
            anonymous.id(),
            USER,
            LoginOptions.builder()
                .metadata(SessionMetadata.of("browser", "Firefox on Linux", null, null))
                .carryOnly("cart")
                .build());
    Session laptop = login.sessionOrThrow();
    boolean oldIdDead = !store.access(anonymous.id()).isActive();
    print(
        "login",
        USER
            + " signed in as "
            + laptop.handle()
            + ": new id "
            + !laptop.id().equals(anonymous.id())
            + ", old id dead "
            + oldIdDead
            + ", cart kept "
            + laptop.attribute("cart").orElse(null),
        laptop.userId().equals(Optional.of(USER))
            && !laptop.id().equals(anonymous.id())
            && oldIdDead
            && laptop.attribute("cart").isPresent());

    // 4. Kick-out: the limit is one session per user, so signing in on a phone ends the laptop's.
    LoginResult phoneLogin =
        store.login(
            null,
            USER,
            LoginOptions.builder()
                .metadata(SessionMetadata.of("phone", "Safari on iOS", null, null))
                .build());
    Session phone = phoneLogin.sessionOrThrow();
    List<?> evicted = ((LoginResult.Accepted) phoneLogin).evicted();
    AccessResult laptopNow = store.access(laptop.id());
    print(
        "kick-out",
        "limit 1: "
            + USER
            + " signs in on a phone -> "
            + evicted.size()
            + " session evicted; the laptop's session now: "
            + describe(laptopNow),
        evicted.size() == 1 && laptopNow.endReason().equals(Optional.of(EndReason.REPLACED)));

    // 5. Token revocation: one access token (a JWT's jti, sub, iat, exp) revoked on its own.
    // Another user's token: alice's own would be refused for the clock skew after step 7 of an
    // earlier run on the same Redis (her watermark is the password change plus the skew).
    TokenClaims token = newToken(clock, Duration.ZERO, "bob");
    TokenCheck before = tokens.check(token);
    tokens.revoke(token);
    TokenCheck after = tokens.check(token);
    print(
        "token",
        "access token "
            + token.tokenId().substring(0, 8)
            + "...: "
            + before
            + ", after revoke: "
            + after,
        before.isActive() && !after.isActive());

    // 6. Refresh tokens: single use; a spent token presented again revokes its whole family.
    RefreshToken first = refresh.issue(USER);
    RefreshResult rotated = refresh.rotate(first.token());
    RefreshResult reused = refresh.rotate(first.token());
    RefreshResult successor =
        rotated instanceof RefreshResult.Rotated r
            ? refresh.rotate(r.successor().token())
            : rotated;
    print(
        "refresh",
        "rotate -> "
            + outcome(rotated)
            + "; the spent token again -> "
            + outcome(reused)
            + "; its successor now -> "
            + outcome(successor),
        rotated.isRotated()
            && reason(reused) == RefreshResult.Reason.REUSED
            && !successor.isRotated());

    // 7. Password change: one call refuses every older token of the user and ends her sessions.
    TokenClaims older = newToken(clock, Duration.ofMinutes(1));
    Instant watermark = tokens.revokeAllForUser(USER, null);
    // The watermark is now plus the clock skew allowed between servers: a token counts as newer
    // from it on.
    TokenClaims newer = newToken(clock, Duration.between(watermark, clock.instant()));
    AccessResult phoneNow = store.access(phone.id());
    print(
        "password",
        USER
            + " changes her password -> revokeAllForUser: phone session "
            + describe(phoneNow)
            + ", token issued a minute before "
            + tokens.check(older)
            + ", token issued after "
            + tokens.check(newer)
            + " (watermark "
            + watermark
            + ")",
        phoneNow.endReason().equals(Optional.of(EndReason.ALL_REVOKED))
            && !tokens.check(older).isActive()
            && tokens.check(newer).isActive());
  }

  /** The claims of an access token issued {@code ago} before now, valid 15 minutes. */
  private static TokenClaims newToken(Clock clock, Duration ago) {
    return newToken(clock, ago, USER);
  }

  private static TokenClaims newToken(Clock clock, Duration ago, String subject) {
    byte[] jti = new byte[16];
    RANDOM.nextBytes(jti);
    Instant now = clock.instant().minus(ago);
    return new TokenClaims(
        Base64.getUrlEncoder().withoutPadding().encodeToString(jti),
        subject,
        now,
        now.plus(Duration.ofMinutes(15)));
  }

  private static String describe(AccessResult r) {
    return r.isActive() ? "active" : r.endReason().map(e -> "ended " + e).orElse("absent");
  }

  private static String outcome(RefreshResult r) {
    return r instanceof RefreshResult.Rotated ? "new token" : "refused " + reason(r);
  }

  private static RefreshResult.@Nullable Reason reason(RefreshResult r) {
    return r instanceof RefreshResult.Refused f ? f.reason() : null;
  }

  private void print(String what, String result, boolean asExpected) {
    step++;
    if (!asExpected) {
      failures++;
    }
    out.printf("%2d. %-9s %s%s%n", step, what, result, asExpected ? "" : "   <-- NOT AS EXPECTED");
  }
}
