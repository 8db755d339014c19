package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
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

  private final JsonAttributeCodec codec =
      JsonAttributeCodec.builder().allowType("cart", Cart.class).build();

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
        .satisfies(
            e -> assertThat(((AttributeEncodingException) e).attributeName()).isEqualTo("token"));
  }

  @Test
  void anAllowedRecordInsideACollectionRoundTrips() {
    List<Cart> carts = List.of(new Cart("a", List.of(), 0), new Cart("b", List.of("x"), 1));
    assertThat(roundTrip(carts)).isEqualTo(carts);
  }

  @Test
  void aTypeNotAllowedInsideACollectionIsRefused() {
    assertThatThrownBy(() -> codec.encode("list", List.of(new Secret("x"))))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("'list'")
        .hasMessageContaining(Secret.class.getName());
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
  @ValueSource(
      strings = {
        "{\"@t\":\"evil\",\"v\":{}}",
        "{\"@t\":\"java.lang.ProcessBuilder\",\"v\":{\"command\":[\"sh\"]}}",
        "{\"@t\":\"io.sessionkit.core.JsonAttributeCodecTest$Cart\",\"v\":{\"owner\":\"x\",\"items\":[],\"total\":0}}",
        "{\"@t\":\"cart\"}"
      })
  void anUnknownAliasOrAClassNameIsRefused(String encoded) {
    assertThatThrownBy(() -> codec.decode("attr", encoded))
        .isInstanceOf(AttributeDecodingException.class)
        .satisfies(
            e -> assertThat(((AttributeDecodingException) e).attributeName()).isEqualTo("attr"));
  }

  @Test
  void aJavaSerializedBlobIsRefusedAndNothingIsInstantiated() {
    String className = Canary.class.getName();
    // stream magic 0xACED, version 5, TC_OBJECT, TC_CLASSDESC, then the class name
    String blob =
        "\u00ac\u00ed\u0000\u0005\u0073\u0072\u0000"
            + (char) className.length()
            + className
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
  @ValueSource(
      strings = {"", "   ", "null", "not json", "{", "{\"@t\":\"long\",\"v\":{\"a\":1}, trailing"})
  void garbageIsRefused(String encoded) {
    assertThatThrownBy(() -> codec.decode("attr", encoded))
        .isInstanceOf(AttributeDecodingException.class);
  }

  @Nested
  class Builder {
    @Test
    void toBuilderBuildsAnEqualCodec() {
      assertThat(codec.toBuilder().build()).isEqualTo(codec).hasSameHashCodeAs(codec);
      assertThat(JsonAttributeCodec.defaults().toBuilder().build())
          .isEqualTo(JsonAttributeCodec.defaults());
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
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cart");
      assertThatThrownBy(() -> b.allowType("cart2", Cart.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Cart.class.getName());
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
    assertThat(new ArrayList<Object>((Set<?>) roundTrip(set))).containsExactly("z", "a", "m");
  }

  @Nested
  class RoundTripOrRefusal {
    @ParameterizedTest
    @ValueSource(
        doubles = {
          Double.NaN,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          -0.0,
          Double.MIN_VALUE
        })
    void oddDoublesComeBackAsEqualDoubles(double d) {
      assertThat(roundTrip(d)).isExactlyInstanceOf(Double.class).isEqualTo(d);
      assertThat(roundTrip(List.of(d))).isEqualTo(List.of(d));
    }

    @ParameterizedTest
    @ValueSource(
        floats = {
          Float.NaN,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY,
          1.1f,
          Float.MIN_VALUE,
          -0.0f
        })
    void floatsStayFloatsAlsoInsideACollection(float f) {
      assertThat(roundTrip(f)).isExactlyInstanceOf(Float.class).isEqualTo(f);
      Object list = roundTrip(List.of(f, 2.5f));
      assertThat(list).isEqualTo(List.of(f, 2.5f));
      assertThat(((List<?>) list).get(0)).isExactlyInstanceOf(Float.class);
    }

    @Test
    void longsInsideCollectionsStayLongs() {
      assertThat(roundTrip(List.of(5L, 6L))).isEqualTo(List.of(5L, 6L));
      assertThat(roundTrip(Set.of(7L))).isEqualTo(Set.of(7L));
      assertThat(roundTrip(Map.of("n", 8L, "m", List.of((short) 1, (byte) 2, 'c'))))
          .isEqualTo(Map.of("n", 8L, "m", List.of((short) 1, (byte) 2, 'c')));
    }

    @Test
    void nullsInsideCollectionsComeBack() {
      List<Object> list = new ArrayList<>();
      list.add(null);
      list.add("x");
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("k", null);
      assertThat(roundTrip(list)).isEqualTo(list);
      assertThat(roundTrip(map)).isEqualTo(map);
    }

    @Test
    void aCollectionThatIsNeitherAListNorASetIsRefusedNamingIt() {
      assertThatThrownBy(() -> codec.encode("queue", new ArrayDeque<>(List.of(1, 2))))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("'queue'")
          .hasMessageContaining("java.util.ArrayDeque")
          .hasMessageContaining("List");
      assertThatThrownBy(() -> codec.encode("nested", List.of(new ArrayDeque<>(List.of(1)))))
          .isInstanceOf(AttributeEncodingException.class);
    }

    @Test
    void nestingBeyondTheBoundIsRefusedNotAStackOverflow() {
      Object deep = "leaf";
      for (int i = 0; i < 100_000; i++) {
        deep = List.of(deep);
      }
      Object value = deep;
      assertThatThrownBy(() -> codec.encode("deep", value))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("'deep'")
          .hasMessageContaining(String.valueOf(JsonAttributeCodec.MAX_DEPTH));
    }

    @Test
    void nestingUpToTheBoundRoundTrips() {
      Object deep = 1L;
      for (int i = 1; i < JsonAttributeCodec.MAX_DEPTH; i++) {
        deep = i % 2 == 0 ? List.of(deep) : Map.of("k", deep);
      }
      assertThat(roundTrip(deep)).isEqualTo(deep);
    }

    @Test
    void aMapOrListContainingItselfIsRefused() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("self", map);
      assertThatThrownBy(() -> codec.encode("loop", map))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("contains itself");
      List<Object> list = new ArrayList<>();
      list.add(list);
      assertThatThrownBy(() -> codec.encode("loop", list))
          .isInstanceOf(AttributeEncodingException.class);
    }

    @Test
    void deeplyNestedStoredJsonIsADecodingErrorNotAStackOverflow() {
      String json = "[".repeat(50_000) + "]".repeat(50_000);
      assertThatThrownBy(() -> codec.decode("deep", json))
          .isInstanceOf(AttributeDecodingException.class)
          .hasMessageContaining("'deep'");
    }

    @Test
    void textWithAnUnpairedSurrogateIsRefused() {
      assertThatThrownBy(() -> codec.encode("s", "a\uD800b"))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("surrogate");
      assertThatThrownBy(() -> codec.encode("s", Map.of("k\uDC00", 1)))
          .isInstanceOf(AttributeEncodingException.class);
      assertThat(roundTrip("pair \uD83D\uDE00")).isEqualTo("pair \uD83D\uDE00");
    }
  }

  /** A bean Jackson can write but not read back: no creator. */
  static final class NoCreator {
    private final String name;

    NoCreator(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }
  }

  /** An abstract property type (as Spring Security's {@code Authentication} is). */
  interface Shape {}

  record Square(int side) implements Shape {}

  /** Its property is of an abstract type, which Jackson can write but not instantiate. */
  record Holder(Shape shape) {}

  /** Its property is declared Object: a Long in it reads back as an Integer. */
  record Loose(Object value) {}

  @Nested
  class WriteTimeRoundTripCheck {
    @Test
    void aTypeWithoutACreatorIsRefusedAtWriteTimeNamingTheRootCause() {
      JsonAttributeCodec c = JsonAttributeCodec.builder().allowType("nc", NoCreator.class).build();
      assertThatThrownBy(() -> c.encode("thing", new NoCreator("x")))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("'thing'")
          .hasMessageContaining(NoCreator.class.getName())
          .hasMessageContaining("not read back")
          .hasMessageContaining("Cannot construct instance")
          .hasMessageNotContaining("\"x\"");
    }

    @Test
    void aPropertyOfAnAbstractTypeIsRefusedAtWriteTime() {
      JsonAttributeCodec c = JsonAttributeCodec.builder().allowType("h", Holder.class).build();
      assertThatThrownBy(() -> c.encode("h", new Holder(new Square(2))))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining(Holder.class.getName());
    }

    @Test
    void aValueThatReadsBackUnequalIsRefused() {
      JsonAttributeCodec c = JsonAttributeCodec.builder().allowType("loose", Loose.class).build();
      assertThat(c.decode("l", c.encode("l", new Loose("text")))).isEqualTo(new Loose("text"));
      assertThatThrownBy(() -> c.encode("l", new Loose(5L)))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("unequal");
    }

    @Test
    void aDecodeFailureNamesTheAttributeTheTypeAndTheRootCauseOnce() {
      String stored =
          "{\"@t\":\"cart\",\"v\":{\"owner\":\"x\",\"items\":[],\"total\":\"secret-ish\"}}";
      assertThatThrownBy(() -> codec.decode("basket", stored))
          .isInstanceOf(AttributeDecodingException.class)
          .hasMessageContaining("'basket'")
          .hasMessageContaining(Cart.class.getName())
          .hasMessageContaining("InvalidFormatException")
          .hasMessageContaining("total")
          .hasMessageNotContaining("secret-ish")
          .satisfies(e -> assertThat(e.getMessage().split("basket", -1)).hasSize(2));
    }
  }

  @Nested
  class Bindings {
    /** A binding that writes a Cart as "owner|total" in a JSON string: another library's format. */
    private final JsonAttributeCodec.JsonBinding<Cart> pipe =
        new JsonAttributeCodec.JsonBinding<>() {
          @Override
          public String toJson(Cart value) {
            return "\"" + value.owner() + "|" + value.total() + "\"";
          }

          @Override
          public Cart fromJson(String json) {
            String[] parts = json.substring(1, json.length() - 1).split("\\|");
            return new Cart(parts[0], List.of(), Integer.parseInt(parts[1]));
          }
        };

    @Test
    void aBoundTypeIsWrittenByItsBindingInsideTheEnvelope() {
      JsonAttributeCodec c =
          JsonAttributeCodec.builder().allowType("cart", Cart.class, pipe).build();
      Cart cart = new Cart("alice", List.of(), 3);
      String encoded = c.encode("c", cart);
      assertThat(encoded).isEqualTo("{\"@t\":\"cart\",\"v\":\"alice|3\"}");
      assertThat(c.decode("c", encoded)).isEqualTo(cart);
      assertThat(c.decode("l", c.encode("l", List.of(cart, 4L)))).isEqualTo(List.of(cart, 4L));
    }

    @Test
    void aBindingThatLosesDataIsRefusedAtWriteTime() {
      JsonAttributeCodec c =
          JsonAttributeCodec.builder().allowType("cart", Cart.class, pipe).build();
      assertThatThrownBy(() -> c.encode("c", new Cart("alice", List.of("book"), 3)))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("unequal");
    }
  }
}
