package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A property of the default codec, checked on random values: every value {@code encode} accepts
 * decodes to a value equal to it whose every scalar has the same class (a {@code Long} in a list
 * stays a {@code Long}, NaN stays a {@code Double}) and whose collections are of the documented
 * kinds, also after a trip through a store; every value it cannot give back that way is refused
 * with an {@link AttributeEncodingException}, never another exception or an {@code Error}. {@code
 * HttpSession.setAttribute} encodes with the store's codec, so this is what a servlet application
 * gets.
 *
 * <p>Each seed generates {@value #VALUES} values; a failure names its seed and index, so it can be
 * replayed.
 */
class AttributeRoundTripPropertyTest {
  private static final int VALUES = 400;
  private final JsonAttributeCodec codec = JsonAttributeCodec.defaults();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261202})
  void everyAcceptedValueReadsBackEqualAndOfTheSameTypeAndEveryOtherIsRefusedCleanly(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int accepted = 0;
    int refused = 0;
    try (InMemorySessionStore store = InMemorySessionStore.create(SessionConfig.defaults())) {
      for (int i = 0; i < VALUES; i++) {
        Object value = value(random, 0);
        String where = "seed " + seed + ", value " + i + " (" + describe(value) + ")";
        String encoded;
        try {
          encoded = codec.encode("a", value);
        } catch (AttributeEncodingException e) {
          assertThat(e.attributeName()).as(where).isEqualTo("a");
          refused++;
          continue;
        } catch (RuntimeException | Error e) {
          throw new AssertionError(where + ": encode threw " + e, e);
        }
        accepted++;
        assertSameValueAndTypes(where, value, codec.decode("a", encoded));
        Session s = store.create(SessionChanges.builder().set("a", value).build());
        Object fromStore =
            store.access(s.id()).session().orElseThrow().attribute("a").orElseThrow();
        assertSameValueAndTypes(where + " through the store", value, fromStore);
      }
    }
    // The generator must exercise both outcomes, or the property says nothing.
    assertThat(accepted).as("accepted values of seed " + seed).isGreaterThan(VALUES / 4);
    assertThat(refused).as("refused values of seed " + seed).isGreaterThan(VALUES / 20);
  }

  /** Equal, and every scalar of the same class; collections of the documented decoded kinds. */
  private static void assertSameValueAndTypes(String where, Object expected, Object actual) {
    assertThat(actual).as(where).isEqualTo(expected);
    compare(where, "$", expected, actual);
  }

  private static void compare(String where, String path, Object expected, Object actual) {
    if (expected == null || actual == null) {
      assertThat(actual).as(where + " at " + path).isEqualTo(expected);
      return;
    }
    if (expected instanceof List<?> e) {
      assertThat(actual).as(where + " at " + path).isExactlyInstanceOf(ArrayList.class);
      List<?> a = (List<?>) actual;
      assertThat(a).as(where + " at " + path).hasSameSizeAs(e);
      for (int i = 0; i < e.size(); i++) {
        compare(where, path + "[" + i + "]", e.get(i), a.get(i));
      }
    } else if (expected instanceof Set<?> e) {
      assertThat(actual).as(where + " at " + path).isExactlyInstanceOf(LinkedHashSet.class);
      Iterator<?> a = ((Set<?>) actual).iterator();
      int i = 0;
      for (Object element : e) {
        compare(where, path + "{" + i++ + "}", element, a.next());
      }
    } else if (expected instanceof Map<?, ?> e) {
      assertThat(actual).as(where + " at " + path).isExactlyInstanceOf(LinkedHashMap.class);
      Iterator<? extends Map.Entry<?, ?>> a = ((Map<?, ?>) actual).entrySet().iterator();
      for (Map.Entry<?, ?> entry : e.entrySet()) {
        Map.Entry<?, ?> got = a.next();
        assertThat(got.getKey()).as(where + " key order at " + path).isEqualTo(entry.getKey());
        compare(where, path + "." + entry.getKey(), entry.getValue(), got.getValue());
      }
    } else {
      assertThat(actual)
          .as(where + " at " + path)
          .isExactlyInstanceOf(expected.getClass())
          .isEqualTo(expected);
    }
  }

  // ---- the generator ----

  private static Object value(SplittableRandom r, int depth) {
    int kind = r.nextInt(depth > 3 ? 20 : 30);
    return switch (kind) {
      case 0, 1, 2 -> text(r);
      case 3 -> r.nextBoolean();
      case 4 -> r.nextInt();
      case 5 -> pick(r, 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE);
      case 6 -> r.nextLong();
      case 7 -> pick(r, 0L, Long.MAX_VALUE, Long.MIN_VALUE, 9_007_199_254_740_993L);
      case 8 -> (short) r.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
      case 9 -> (byte) r.nextInt(Byte.MIN_VALUE, Byte.MAX_VALUE + 1);
      case 10 ->
          pick(
              r,
              r.nextDouble() * 1e6,
              0.1,
              -0.0,
              0.0,
              Double.NaN,
              Double.POSITIVE_INFINITY,
              Double.NEGATIVE_INFINITY,
              Double.MIN_VALUE,
              Double.MAX_VALUE,
              1.0);
      case 11 ->
          pick(
              r,
              (float) r.nextDouble(),
              0.1f,
              -0.0f,
              Float.NaN,
              Float.NEGATIVE_INFINITY,
              Float.MAX_VALUE,
              1.0f);
      case 12 -> (char) r.nextInt(0x20, 0xD7FF);
      case 13 -> new BigDecimal(BigInteger.valueOf(r.nextLong()), r.nextInt(-5, 30));
      case 14 -> new BigInteger(r.nextInt(1, 200), new Random(r.nextLong()));
      case 15 -> new UUID(r.nextLong(), r.nextLong());
      case 16 ->
          Instant.ofEpochSecond(
              r.nextLong(-1_000_000_000_000L, 1_000_000_000_000L), r.nextInt(1_000_000_000));
      case 17 -> refusedValue(r);
      case 18 -> nullOrLeaf(r);
      case 19 -> text(r).isEmpty() ? List.of() : Optional.of(text(r)); // Optional: refused
      case 20, 21, 22 -> list(r, depth);
      case 23, 24 -> set(r, depth);
      case 25, 26, 27 -> map(r, depth);
      case 28 -> deep(r);
      default -> List.of(value(r, depth + 1));
    };
  }

  private static Object nullOrLeaf(SplittableRandom r) {
    List<Object> withNull = new ArrayList<>();
    withNull.add(null);
    withNull.add(r.nextInt());
    return withNull;
  }

  private static String text(SplittableRandom r) {
    int n = r.nextInt(0, 12);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(6)) {
        case 0 -> b.append((char) r.nextInt(0, 0x20)); // control characters
        case 1 -> b.appendCodePoint(r.nextInt(0x1F600, 0x1F64F)); // a surrogate pair
        case 2 -> b.append(pick(r, '"', '\\', '{', '@', '\u2028', '\uFEFF'));
        case 3 ->
            b.append(r.nextInt(50) == 0 ? '\uD800' : 'x'); // now and then an unpaired surrogate
        default -> b.append((char) r.nextInt(0x20, 0x7F));
      }
    }
    return b.toString();
  }

  private static List<Object> list(SplittableRandom r, int depth) {
    List<Object> l = r.nextBoolean() ? new ArrayList<>() : new LinkedList<>();
    int n = r.nextInt(0, 5);
    for (int i = 0; i < n; i++) {
      l.add(value(r, depth + 1));
    }
    return r.nextInt(4) == 0 ? List.copyOf(nonNull(l)) : l;
  }

  private static List<Object> nonNull(List<Object> l) {
    l.removeIf(x -> x == null);
    return l;
  }

  private static Set<Object> set(SplittableRandom r, int depth) {
    Set<Object> s = new LinkedHashSet<>();
    int n = r.nextInt(0, 5);
    for (int i = 0; i < n; i++) {
      // Scalars and flat lists only: a self-containing element could not even be hashed.
      s.add(r.nextBoolean() ? text(r) : value(r, Math.max(depth + 1, 4)));
    }
    return s;
  }

  private static Map<Object, Object> map(SplittableRandom r, int depth) {
    Map<Object, Object> m =
        switch (r.nextInt(3)) {
          case 0 -> new HashMap<>();
          case 1 -> new TreeMap<>();
          default -> new LinkedHashMap<>();
        };
    int n = r.nextInt(0, 5);
    for (int i = 0; i < n; i++) {
      Object key = r.nextInt(15) == 0 && !(m instanceof TreeMap) ? (Object) r.nextInt() : text(r);
      m.put(key, value(r, depth + 1));
    }
    return m;
  }

  /** Nesting near and beyond the codec's bound, sometimes a collection that contains itself. */
  private static Object deep(SplittableRandom r) {
    if (r.nextInt(4) == 0) {
      List<Object> self = new ArrayList<>();
      self.add(r.nextBoolean() ? self : Map.of("me", self));
      return self;
    }
    Object v = r.nextLong();
    int levels = r.nextInt(JsonAttributeCodec.MAX_DEPTH - 3, JsonAttributeCodec.MAX_DEPTH + 3);
    if (r.nextInt(8) == 0) {
      levels = 5_000; // far beyond: must be refused, not a StackOverflowError
    }
    for (int i = 0; i < levels; i++) {
      v = i % 2 == 0 ? List.of(v) : Map.of("k", v);
    }
    return v;
  }

  /** Values no JSON round trip can give back as they were. */
  private static Object refusedValue(SplittableRandom r) {
    return switch (r.nextInt(5)) {
      case 0 -> new ArrayDeque<>(List.of(r.nextInt()));
      case 1 -> new int[] {r.nextInt()};
      case 2 -> new Object();
      case 3 -> new StringBuilder(text(r));
      default -> Arrays.asList(new ArrayDeque<>(), 1);
    };
  }

  @SafeVarargs
  private static <T> T pick(SplittableRandom r, T... options) {
    return options[r.nextInt(options.length)];
  }

  private static String describe(Object value) {
    String s;
    try {
      s = String.valueOf(value);
    } catch (StackOverflowError e) {
      s = "(self-containing " + value.getClass().getSimpleName() + ")";
    }
    return value.getClass().getSimpleName()
        + " "
        + (s.length() > 120 ? s.substring(0, 120) + "..." : s);
  }
}
