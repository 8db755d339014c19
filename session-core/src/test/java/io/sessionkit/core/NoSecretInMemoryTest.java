package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The in-memory structures hold digests, never a session id, refresh token or token id: a heap dump
 * of them cannot be replayed as a login. Checked by rendering every key and value of every map the
 * classes keep and searching the text for the secrets.
 */
class NoSecretInMemoryTest {
  private final TestClock clock = new TestClock();

  @Test
  void theSessionStoreHoldsNoSessionId() throws Exception {
    InMemorySessionStore store =
        InMemorySessionStore.create(
            SessionConfig.builder()
                .clock(clock)
                .auditLogging(false)
                .loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.EVICT_OLDEST))
                .build());
    List<String> secrets = new ArrayList<>();
    Session anonymous = store.create(SessionChanges.builder().set("k", "v").build());
    secrets.add(anonymous.id());
    Session user = store.login(anonymous.id(), "alice").sessionOrThrow();
    secrets.add(user.id());
    Session renewed = store.renewId(user.id()).orElseThrow();
    secrets.add(renewed.id());
    Session other =
        store.login(null, "alice").sessionOrThrow(); // evicts renewed, leaving a tombstone
    secrets.add(other.id());
    Session loggedOut = store.create();
    secrets.add(loggedOut.id());
    store.delete(loggedOut.id(), EndReason.LOGOUT);

    String dump = dump(store, "sessions", "tombstones", "byUser");
    assertThat(dump).contains(other.handle()).contains("alice");
    for (String id : secrets) {
      assertThat(dump).doesNotContain(id).doesNotContain(id.substring(2, 24));
    }
  }

  @Test
  void theRevocationServiceHoldsNoTokenNorTokenId() throws Exception {
    InMemoryTokenRevocationService service =
        InMemoryTokenRevocationService.create(
            RevocationConfig.builder().clock(clock).auditLogging(false).build());
    List<String> secrets = new ArrayList<>();
    RefreshToken first = service.issue("alice");
    secrets.add(first.token());
    RefreshToken second = ((RefreshResult.Rotated) service.rotate(first.token())).successor();
    secrets.add(second.token());
    RefreshToken third = ((RefreshResult.Rotated) service.rotate(second.token())).successor();
    secrets.add(third.token());
    Instant now = clock.instant();
    service.revoke(
        new TokenClaims("jti-very-secret-value", "alice", now, now.plus(Duration.ofHours(1))));
    secrets.add("jti-very-secret-value");
    service.revokeAllForUser("bob", null);

    String dump = dump(service, "marks", "userWatermarks", "refreshTokens", "families");
    assertThat(dump).contains(first.familyHandle());
    for (String secret : secrets) {
      assertThat(dump).doesNotContain(secret).doesNotContain(secret.substring(2, 20));
    }
  }

  private static String dump(Object owner, String... fields) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String name : fields) {
      Field f = owner.getClass().getDeclaredField(name);
      f.setAccessible(true);
      Object value = f.get(owner);
      Map<?, ?> map = value instanceof Cache<?, ?> c ? c.asMap() : (Map<?, ?>) value;
      assertThat(map).as(name).isNotNull();
      map.forEach(
          (k, v) -> sb.append(name).append(' ').append(k).append(" = ").append(v).append('\n'));
    }
    return sb.toString();
  }
}
