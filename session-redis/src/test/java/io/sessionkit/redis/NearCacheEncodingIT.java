package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.AttributeEncodingException;
import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.testkit.CountingAttributeCodec;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An update through the near cache encodes each changed attribute once, for Redis and for the
 * cached entry alike, and never encodes one whose encoding the change carries; the entry it patches
 * holds what Redis holds. Real redis-server; entries live a minute, so a read after a write is
 * served from memory.
 */
class NearCacheEncodingIT {
  private static final JsonAttributeCodec JSON = JsonAttributeCodec.defaults();
  private static final CountingAttributeCodec CODEC = new CountingAttributeCodec(JSON);

  private static RedisServer redis;
  private static RedisConnector connector;
  private static NearCache near;
  private static NearCachedSessionStore store;

  @BeforeAll
  static void start() throws InterruptedException {
    redis = RedisServers.startLocal();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()));
    near =
        NearCache.create(
            connector, NearCacheOptions.builder().maxAge(Duration.ofMinutes(1)).build());
    store =
        near.sessions(
            RedisSessionStore.create(
                connector, SessionConfig.builder().codec(CODEC).auditLogging(false).build()));
    assertThat(near.awaitServing(true, Duration.ofSeconds(10))).isTrue();
  }

  @AfterAll
  static void stop() {
    store.close();
    near.close();
    connector.close();
    redis.close();
  }

  @BeforeEach
  void resetCounts() {
    CODEC.reset();
  }

  /** A session with one attribute whose entry the near cache holds. */
  private static String cachedSession() {
    String id = store.create(SessionChanges.builder().set("kept", "x").build()).id();
    store.access(id);
    CODEC.reset();
    return id;
  }

  /**
   * Reads the session from memory (asserting that it was a hit) and from Redis: both must agree.
   */
  private static Session readBothWays(String id) {
    long hits = store.hitCount();
    Session cached = store.access(id).session().orElseThrow();
    assertThat(store.hitCount()).as("served from the patched entry").isEqualTo(hits + 1);
    try (RedisSessionStore plain =
        RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build())) {
      assertThat(plain.access(id).session().orElseThrow().encodedAttributes())
          .isEqualTo(cached.encodedAttributes());
    }
    return cached;
  }

  @Test
  void anUpdateEncodesEachChangedAttributeOnceForRedisAndTheEntry() {
    String id = cachedSession();
    Map<String, Object> cart = new LinkedHashMap<>();
    cart.put("items", List.of("sku-1"));
    assertThat(
            store.update(
                id, SessionChanges.builder().set("cart", cart).set("theme", "dark").build()))
        .isTrue();
    assertThat(CODEC.encodings("cart")).isEqualTo(1);
    assertThat(CODEC.encodings("theme")).isEqualTo(1);
    Session read = readBothWays(id);
    assertThat(read.attribute("cart")).contains(cart);
    assertThat(read.attribute("theme")).contains("dark");
  }

  @Test
  void aChangeCarryingItsEncodingIsNeverEncodedAgain() {
    String id = cachedSession();
    String dark = JSON.encode("theme", "dark");
    assertThat(
            store.update(
                id,
                SessionChanges.builder().setEncoded("theme", "dark", dark).remove("kept").build()))
        .isTrue();
    assertThat(CODEC.encodings()).isZero();
    Session read = readBothWays(id);
    assertThat(read.encodedAttributes()).containsExactly(Map.entry("theme", dark));
  }

  @Test
  void aValueTheCodecRefusesFailsBeforeAnythingIsWrittenOrDropped() {
    String id = cachedSession();
    assertThatThrownBy(
            () ->
                store.update(
                    id, SessionChanges.builder().set("fine", "y").set("bad", new Object()).build()))
        .isInstanceOf(AttributeEncodingException.class)
        .satisfies(
            e -> assertThat(((AttributeEncodingException) e).attributeName()).isEqualTo("bad"));
    assertThat(readBothWays(id).attributeNames()).containsExactly("kept");
  }
}
