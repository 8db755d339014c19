package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AuditLog;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionListener;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input never reaches Redis (issue 7, item 4; checklist A4, F36, H46): 10,000 randomized
 * session ids and token ids, each tried against every store and service entry point, cost zero
 * Redis commands (counted by a Lettuce command listener) and fire one invalid-id event each; user
 * ids and token ids made of the same characters only ever produce keys under the prefix, in the
 * documented shape, and never collide with another user's keys.
 *
 * <p>The seed is printed; rerun with {@code -Dfuzz.seed=N} to reproduce a failure.
 */
class FuzzStoreIT {
  private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
  private static final int INPUTS = 10_000;

  /**
   * Every key SessionKit writes: prefix, 2-char tag in braces, a family letter, a digest (or none).
   */
  private static final Pattern KEY_SHAPE =
      Pattern.compile("sk:\\{[A-Za-z0-9_-]{2}\\}:([stuwrfF]:[A-Za-z0-9_-]{16,64}|g)");

  private static RedisServer redis;
  private static CommandCounter commands;
  private static RedisConnector connector;
  private static final AtomicLong invalidIds = new AtomicLong();
  private static RedisSessionStore store;
  private static TokenRevocationService tokens;

  @BeforeAll
  static void start() {
    System.out.println("FuzzStoreIT seed=" + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
    redis = RedisServers.standalone();
    commands = new CommandCounter();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()), List.of(commands));
    SessionListener counting =
        new SessionListener() {
          @Override
          public void invalidIdPresented(String source) {
            invalidIds.incrementAndGet();
          }
        };
    store =
        RedisSessionStore.create(
            connector, SessionConfig.builder().addListener(counting).auditLogging(false).build());
    tokens =
        RedisTokenRevocationService.create(
            connector, RevocationConfig.builder().auditLogging(false).build(), store);
  }

  @AfterAll
  static void stop() {
    tokens.close();
    store.close();
    connector.close();
    redis.close();
  }

  @BeforeEach
  void clean() {
    redis.flushAll();
  }

  @Test
  void tenThousandMalformedSessionIdsCostNoRedisCommandAndFireOneEventEach() {
    FuzzInputs in = new FuzzInputs(SEED);
    Session live = store.create(SessionChanges.builder().set("k", "v").build());
    long before = commands.count();
    long eventsBefore = invalidIds.get();
    int calls = 0;
    for (int i = 0; i < INPUTS; i++) {
      String bad = in.badId();
      String context = "seed=" + SEED + " input #" + i;
      assertThat(store.access(bad).isActive()).as(context).isFalse();
      assertThat(store.access(bad, AccessMode.PASSIVE).isActive()).as(context).isFalse();
      assertThat(store.update(bad, SessionChanges.builder().set("x", 1).build()))
          .as(context)
          .isFalse();
      assertThat(store.renewId(bad)).as(context).isEmpty();
      assertThat(store.delete(bad, EndReason.LOGOUT)).as(context).isFalse();
      assertThat(store.deleteByHandle("alice", bad, EndReason.REVOKED)).as(context).isFalse();
      calls += 5; // deleteByHandle checks a handle, not an id: no event, but no command either
      tokens.revoke(
          new TokenClaims(
              i % 2 == 0 ? "" : "x".repeat(TokenClaims.MAX_TOKEN_ID_LENGTH + 1 + i),
              "alice",
              Instant.now(),
              Instant.now().plusSeconds(60)));
      assertThat(
              tokens
                  .check(new TokenClaims("", "alice", Instant.now(), Instant.now().plusSeconds(60)))
                  .isActive())
          .as(context)
          .isFalse();
    }
    long spent = commands.count() - before;
    long events = invalidIds.get() - eventsBefore;
    System.out.printf(
        "FuzzStoreIT: %d malformed ids x 8 entry points = %d calls, %d Redis commands, %d invalid-id "
            + "events%n",
        INPUTS, INPUTS * 8, spent, events);
    assertThat(spent).as("Redis commands issued for malformed input (seed=%d)", SEED).isZero();
    assertThat(events).isEqualTo(calls);
    assertThat(store.access(live.id()).isActive()).isTrue();
    assertOnlyPrefixedKeys();
  }

  @Test
  void loginWithAMalformedCurrentIdNeverAdoptsItAndCreatesAFreshSession() {
    FuzzInputs in = new FuzzInputs(SEED + 1);
    for (int i = 0; i < 300; i++) {
      String bad = in.badId();
      Session s = store.login(bad, "bob").sessionOrThrow();
      assertThat(s.id()).isNotEqualTo(bad);
      assertThat(s.id()).startsWith(Digests.tagForUser("bob"));
    }
    // 300 logins, and the default cap keeps the newest 100
    assertThat(store.listForUser("bob")).hasSize(LoginPolicy.DEFAULT_MAX_SESSIONS_PER_USER);
    assertOnlyPrefixedKeys();
  }

  @Test
  void userIdsOfTheSameCharactersNeverShareOrEscapeKeys() {
    FuzzInputs in = new FuzzInputs(SEED + 2);
    List<String> users = in.nastyUserIds(1_000);
    Map<String, String> handleOfUser = new HashMap<>();
    for (String u : users) {
      Session s = store.login(null, u).sessionOrThrow();
      handleOfUser.put(u, s.handle());
      tokens.revoke(
          new TokenClaims(in.mixture(30), u, Instant.now(), Instant.now().plusSeconds(600)));
    }
    Set<String> seen = new HashSet<>();
    for (String u : users) {
      List<SessionInfo> mine = store.listForUser(u);
      assertThat(mine).as("user %s (seed=%d)", printable(u), SEED).hasSize(1);
      assertThat(mine.get(0).handle()).isEqualTo(handleOfUser.get(u));
      assertThat(mine.get(0).userId()).contains(u);
      assertThat(seen.add(mine.get(0).handle())).isTrue();
    }
    // Revoking everything of the nastiest users ends their session and nobody else's.
    List<String> victims = users.subList(0, 15);
    for (String u : victims) {
      tokens.revokeAllForUser(u, null);
    }
    for (String u : users) {
      assertThat(store.listForUser(u))
          .as("user %s", printable(u))
          .hasSize(victims.contains(u) ? 0 : 1);
    }
    // Token ids full of the same characters are only ever digests.
    for (int i = 0; i < 500; i++) {
      String tokenId = in.mixture(1 + in.random().nextInt(300));
      TokenClaims t = new TokenClaims(tokenId, null, Instant.now(), Instant.now().plusSeconds(600));
      tokens.revoke(t);
      assertThat(tokens.check(t).isActive()).isFalse();
    }
    int keys = assertOnlyPrefixedKeys();
    System.out.printf(
        "FuzzStoreIT: %d nasty user ids, %d nasty token ids, %d keys, all under the prefix, "
            + "no collision%n",
        users.size(), 500 + users.size(), keys);
  }

  private static String printable(String s) {
    return AuditLog.escape(s);
  }

  /** Scans every key in the server; each must have the documented shape. @return how many keys */
  static int assertOnlyPrefixedKeys() {
    List<String> all = new ArrayList<>();
    String cursor = "0";
    do {
      Object reply = redis.call("SCAN", cursor, "COUNT", "1000");
      List<?> r = (List<?>) reply;
      cursor = String.valueOf(r.get(0));
      for (Object k : (List<?>) r.get(1)) {
        all.add(String.valueOf(k));
      }
    } while (!"0".equals(cursor));
    for (String k : all) {
      assertThat(KEY_SHAPE.matcher(k).matches())
          .as("key %s (seed=%d)", printable(k), SEED)
          .isTrue();
    }
    return all.size();
  }
}
