package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonAttributeCodecTest {
  record Cart(String owner, List<String> items, int total) {}

  record Secret(String value) {
    @Override
    public String toString() {
      return "Secret[s3cr3t-value]";
    }
  }

  /** Counts its instantiations, to prove that decoding never creates one. */
  static final class Canary {
    static final AtomicInteger CREATED = new AtomicInteger();

    Canary() {
      CREATED.incrementAndGet();
    }
  }

  private final JsonAttributeCodec codec = JsonAttributeCodec.builder().allowType("cart", Cart.class).build();

  private Object roundTrip(Object value) {
    return codec.decode("attr", codec.encode("attr", value));
  }

  static Stream<Arguments> builtIns() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("s", "x");
    map.put("n", 1);
    map.put("l", List.of("a", "b"));
    map.put("m", Map.of("k", true));
    return Stream.of(
        Arguments.of("héllo \"w\" \r\n \u0000", String.class),
        Arguments.of("", String.class),
        Arguments.of(Boolean.FALSE, Boolean.class),
        Arguments.of(42, Integer.class),
        Arguments.of(Integer.MIN_VALUE, Integer.class),
        Arguments.of(3.5, Double.class),
        Arguments.of(1.0, Double.class),
        Arguments.of(5L, Long.class),
        Arguments.of(Long.MAX_VALUE, Long.class),
        Arguments.of((short) 7, Short.class),
        Arguments.of((byte) -3, Byte.class),
        Arguments.of(2.5f, Float.class),
        Arguments.of('é', Character.class),
        Arguments.of(new BigDecimal("1234567890.0987654321"), BigDecimal.class),
        Arguments.of(new BigInteger("123456789012345678901234567890"), BigInteger.class),
        Arguments.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), UUID.class),
        Arguments.of(Instant.parse("2030-01-02T03:04:05.123456789Z"), Instant.class),
        Arguments.of(new LinkedHashSet<>(List.of("a", "b", "c")), LinkedHashSet.class),
        Arguments.of(List.of("a", "b"), ArrayList.class),
        Arguments.of(List.of(), ArrayList.class),
        Arguments.of(map, LinkedHashMap.class));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("builtIns")
  void everyBuiltInTypeRoundTripsWithItsExactType(Object value, Class<?> decodedType) {
    Object decoded = roundTrip(value);
    assertThat(decoded).isEqualTo(value);
    assertThat(decoded).isExactlyInstanceOf(decodedType);
  }

  @Test
  void anAllowedRecordRoundTrips() {
    Cart cart = new Cart("alice", List.of("book", "pen"), 2);
    String encoded = codec.encode("cart", cart);
    assertThat(encoded).contains("\"cart\"").doesNotContain(Cart.class.getName());
    assertThat(codec.decode("cart", encoded)).isEqualTo(cart).isExactlyInstanceOf(Cart.class);
  }

  @Test
  void aTypeAllowedByClassNameRoundTrips() {
    JsonAttributeCodec byName = JsonAttributeCodec.builder().allowType(Cart.class).build();
    Cart cart = new Cart("bob", List.of(), 0);
    assertThat(byName.decode("c", byName.encode("c", cart))).isEqualTo(cart);
    assertThat(byName.allowedTypes()).containsValue(Cart.class);
  }

  @Test
  void aTypeNotAllowedFailsNamingTheAttributeAndTypeButNotTheValue() {
    assertThatThrownBy(() -> codec.encode("token", new Secret("x")))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("'token'")
        .hasMessageContaining(Secret.class.getName())
        .hasMessageNotContaining("s3cr3t-value")
        .satisfies(e -> assertThat(((AttributeEncodingException) e).attributeName()).isEqualTo("token"));
  }

  @Test
  void anObjectInsideACollectionIsRefused() {
    assertThatThrownBy(() -> codec.encode("list", List.of(new Cart("a", List.of(), 0))))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("'list'");
  }

  @Test
  void aMapWithANonStringKeyIsRefused() {
    Map<Object, Object> map = new HashMap<>();
    map.put(1, "one");
    assertThatThrownBy(() -> codec.encode("m", map))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("'m'")
        .hasMessageContaining("not a String");
  }

  @Test
  void aMapHoldingTheTypeKeyRoundTripsAsAMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("@t", "cart");
    map.put("v", Map.of("owner", "mallory"));
    Object decoded = roundTrip(map);
    assertThat(decoded).isEqualTo(map).isExactlyInstanceOf(LinkedHashMap.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"@t\":\"evil\",\"v\":{}}",
      "{\"@t\":\"java.lang.ProcessBuilder\",\"v\":{\"command\":[\"sh\"]}}",
      "{\"@t\":\"io.sessionkit.core.JsonAttributeCodecTest$Cart\",\"v\":{\"owner\":\"x\",\"items\":[],\"total\":0}}",
      "{\"@t\":\"cart\"}"
  })
  void anUnknownAliasOrAClassNameIsRefused(String encoded) {
    assertThatThrownBy(() -> codec.decode("attr", encoded))
        .isInstanceOf(AttributeDecodingException.class)
        .satisfies(e -> assertThat(((AttributeDecodingException) e).attributeName()).isEqualTo("attr"));
  }

  @Test
  void aJavaSerializedBlobIsRefusedAndNothingIsInstantiated() {
    String className = Canary.class.getName();
    // stream magic 0xACED, version 5, TC_OBJECT, TC_CLASSDESC, then the class name
    String blob = "\u00ac\u00ed\u0000\u0005\u0073\u0072\u0000" + (char) className.length() + className
        + "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001\u0002\u0000\u0000\u0078\u0070";
    int before = Canary.CREATED.get();
    assertThatThrownBy(() -> codec.decode("planted", blob))
        .isInstanceOf(AttributeDecodingException.class)
        .hasMessageContaining("'planted'");
    assertThat(Canary.CREATED.get()).isEqualTo(before);
  }

  @Test
  void jacksonDefaultTypingSyntaxIsReadAsPlainData() {
    Object decoded = codec.decode("attr", "[\"java.net.URL\",\"http://example.invalid/\"]");
    assertThat(decoded).isEqualTo(List.of("java.net.URL", "http://example.invalid/"));
  }

  @Test
  void aBase64SerializedBlobInAJsonStringStaysAString() {
    assertThat(codec.decode("attr", "\"rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA==\""))
        .isEqualTo("rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA==");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "null", "not json", "{", "{\"@t\":\"long\",\"v\":{\"a\":1}, trailing"})
  void garbageIsRefused(String encoded) {
    assertThatThrownBy(() -> codec.decode("attr", encoded)).isInstanceOf(AttributeDecodingException.class);
  }

  @Nested
  class Builder {
    @Test
    void toBuilderBuildsAnEqualCodec() {
      assertThat(codec.toBuilder().build()).isEqualTo(codec).hasSameHashCodeAs(codec);
      assertThat(JsonAttributeCodec.defaults().toBuilder().build()).isEqualTo(JsonAttributeCodec.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a:b", "ünï", "{x}"})
    void aMalformedAliasIsRefusedNamingIt(String alias) {
      assertThatThrownBy(() -> JsonAttributeCodec.builder().allowType(alias, Cart.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + alias + "'");
    }

    @Test
    void aTooLongAliasIsRefused() {
      String alias = "a".repeat(65);
      assertThatThrownBy(() -> JsonAttributeCodec.builder().allowType(alias, Cart.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(alias);
    }

    @ParameterizedTest
    @ValueSource(strings = {"long", "set", "map", "instant", "uuid"})
    void aReservedAliasIsRefused(String alias) {
      assertThatThrownBy(() -> JsonAttributeCodec.builder().allowType(alias, Cart.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(alias);
    }

    @Test
    void aDuplicateAliasOrTypeIsRefused() {
      JsonAttributeCodec.Builder b = JsonAttributeCodec.builder().allowType("cart", Cart.class);
      assertThatThrownBy(() -> b.allowType("cart", Secret.class))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cart");
      assertThatThrownBy(() -> b.allowType("cart2", Cart.class))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Cart.class.getName());
    }

    @ParameterizedTest
    @ValueSource(classes = {Runnable.class, Number.class, int.class, String[].class})
    void aTypeThatIsNotConcreteIsRefused(Class<?> type) {
      assertThatThrownBy(() -> JsonAttributeCodec.builder().allowType("x", type))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(type.getName());
    }
  }

  @Test
  void aSetDecodesInItsOriginalOrder() {
    Set<String> set = new LinkedHashSet<>(List.of("z", "a", "m"));
    assertThat(new java.util.ArrayList<Object>((Set<?>) roundTrip(set))).containsExactly("z", "a", "m");
  }
}
