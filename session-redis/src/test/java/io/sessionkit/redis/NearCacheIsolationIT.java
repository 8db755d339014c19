package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session read through the near cache behaves exactly like one read from Redis: each request gets
 * its own snapshot with its own decoded values, so a value one request changes in place without
 * saving it is seen by no other request on the same server. Real redis-server; the entries live a
 * minute, so every read after the first is served from memory.
 */
class NearCacheIsolationIT {
  private static RedisServer redis;
  private static RedisConnector connector;
  private static NearCache near;
  private static NearCachedSessionStore store;

  @BeforeAll
  static void start() {
    redis = RedisServers.startLocal();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
    near =
        NearCache.create(
            connector, NearCacheOptions.builder().maxAge(Duration.ofMinutes(1)).build());
    store =
        near.sessions(
            RedisSessionStore.create(
                connector, SessionConfig.builder().auditLogging(false).build()));
  }

  @AfterAll
  static void stop() {
    store.close();
    near.close();
    connector.close();
    redis.close();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> profile(Session s) {
    return (Map<String, Object>) s.attribute("profile").orElseThrow();
  }

  @Test
  void aValueChangedInPlaceByOneRequestIsNotSeenByAnother() {
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("name", "alice");
    stored.put("roles", List.of("reader"));
    String id = store.create(SessionChanges.builder().set("profile", stored).build()).id();
    store.access(id); // the entry now comes from Redis

    // Request 1, served from memory, grants itself a temporary role in place and saves nothing.
    long hits = store.hitCount();
    Session first = store.access(id).session().orElseThrow();
    assertThat(store.hitCount()).isEqualTo(hits + 1);
    Map<String, Object> mine = profile(first);
    mine.put("role", "admin");

    // Request 2 on the same server, also from memory, sees what Redis holds.
    Session second = store.access(id).session().orElseThrow();
    assertThat(store.hitCount()).isEqualTo(hits + 2);
    assertThat(profile(second)).doesNotContainKey("role").containsEntry("name", "alice");
    assertThat(second).isNotSameAs(first);
    assertThat(profile(second)).isNotSameAs(mine);

    // And so does a read from Redis: both paths agree.
    try (RedisSessionStore plain =
        RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build())) {
      assertThat(profile(plain.access(id).session().orElseThrow())).isEqualTo(profile(second));
    }
  }

  @Test
  void aNestedListChangedInPlaceIsNotSeenByTheNextRequestAfterAPatchedWrite() {
    String id = store.create(SessionChanges.builder().set("cart", List.of("book")).build()).id();
    store.access(id);
    // A write through this server patches the cached entry; the patched entry must not share
    // either.
    assertThat(store.update(id, SessionChanges.builder().set("theme", "dark").build())).isTrue();
    long hits = store.hitCount();
    @SuppressWarnings("unchecked")
    List<Object> cart =
        (List<Object>) store.access(id).session().orElseThrow().attribute("cart").orElseThrow();
    cart.add("stolen");
    Session next = store.access(id).session().orElseThrow();
    assertThat(store.hitCount()).isEqualTo(hits + 2);
    assertThat(next.attribute("cart")).contains(List.of("book"));
    assertThat(next.attribute("theme")).contains("dark");
  }
}
