package io.sessionkit.testkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Generates attribute values of every kind {@link io.sessionkit.core.JsonAttributeCodec} accepts,
 * edge cases included (NaN, infinities, negative zero, extreme integers, supplementary characters,
 * negative BigDecimal scales, the codec's own wrapper keys as map keys, nulls inside collections,
 * allowed records inside collections), from a seeded {@link Random}, so that a failure is
 * reproducible. Also states what "reads back the same" means: equal, and of the same type at every
 * depth, where any {@code List} reads back as an {@code ArrayList}, any {@code Set} as a {@code
 * LinkedHashSet} and any {@code Map} as a {@code LinkedHashMap}.
 */
final class AttributeValues {
  private static final int MAX_NESTING = 3;
  private static final String[] AWKWARD_KEYS = {
    "@t", "v", "", " ", "{x}", "a:b", "\u00e9", "\uD83D\uDE00"
  };

  private final Random random;

  AttributeValues(long seed) {
    this.random = new Random(seed);
  }

  /** A value of any accepted kind, possibly nested. */
  Object next() {
    return value(0);
  }

  private Object value(int depth) {
    int kinds = depth < MAX_NESTING ? 19 : 15;
    switch (random.nextInt(kinds)) {
      case 0:
        return string();
      case 1:
        return random.nextBoolean();
      case 2:
        return pick(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, random.nextInt());
      case 3:
        return aDouble();
      case 4:
        return pick(
            Long.MIN_VALUE, Long.MAX_VALUE, 0L, (long) Integer.MAX_VALUE + 1, random.nextLong());
      case 5:
        return (short) random.nextInt(1 << 16);
      case 6:
        return (byte) random.nextInt(256);
      case 7:
        return aFloat();
      case 8:
        return aChar();
      case 9:
        return new BigDecimal(
            new BigInteger(random.nextInt(130), random).subtract(BigInteger.TEN.pow(12)),
            random.nextInt(41) - 20);
      case 10:
        {
          BigInteger b = new BigInteger(random.nextInt(200), random);
          return random.nextBoolean() ? b.negate() : b;
        }
      case 11:
        return new UUID(random.nextLong(), random.nextLong());
      case 12:
        return pick(
            Instant.MIN,
            Instant.MAX,
            Instant.EPOCH,
            Instant.ofEpochSecond(
                random.nextLong() % Instant.MAX.getEpochSecond(), random.nextInt(1_000_000_000)));
      case 13:
        return new SessionStoreContract.Cart(
            string(), List.of(string(), string()), random.nextInt());
      case 14:
        return string();
      case 15:
        return list(depth);
      case 16:
        return set(depth);
      case 17:
        return map(depth);
      default:
        return List.of(new SessionStoreContract.Cart(string(), List.of(), 1), value(depth + 1));
    }
  }

  @SafeVarargs
  private <T> T pick(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private Double aDouble() {
    return switch (random.nextInt(6)) {
      case 0 -> pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0);
      case 1 -> pick(Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1.0);
      case 2 ->
          Double.longBitsToDouble(random.nextLong()); // any bit pattern: subnormals, NaN payloads
      default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
    };
  }

  private Float aFloat() {
    return switch (random.nextInt(4)) {
      case 0 ->
          pick(
              Float.NaN,
              Float.POSITIVE_INFINITY,
              Float.NEGATIVE_INFINITY,
              -0.0f,
              Float.MIN_VALUE,
              Float.MAX_VALUE);
      case 1 -> Float.intBitsToFloat(random.nextInt());
      default -> (random.nextFloat() - 0.5f) * 1000f;
    };
  }

  private Character aChar() {
    char c;
    do {
      c = (char) random.nextInt(Character.MAX_VALUE + 1);
    } while (Character.isSurrogate(c));
    return c;
  }

  private String string() {
    int length = random.nextInt(12);
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> sb.append((char) random.nextInt(0x20)); // controls, NUL included
        case 1 -> sb.append(pick("\"", "\\", "{", "}", "*", ":", "\r\n", "@t"));
        case 2 ->
            sb.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000)); // a surrogate pair
        case 3 -> sb.append(aChar());
        default -> sb.append((char) ('a' + random.nextInt(26)));
      }
    }
    return sb.toString();
  }

  private String key() {
    return random.nextInt(4) == 0 ? pick(AWKWARD_KEYS) : string();
  }

  private @Nullable Object element(int depth) {
    return random.nextInt(8) == 0 ? null : value(depth + 1);
  }

  private List<?> list(int depth) {
    int n = random.nextInt(5);
    switch (random.nextInt(3)) {
      case 0:
        {
          List<Object> l = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            l.add(element(depth));
          }
          return l;
        }
      case 1:
        {
          @SuppressWarnings(
              "JdkObsolete") // a LinkedList on purpose: a List that is not an ArrayList
          List<Object> l = new LinkedList<>();
          for (int i = 0; i < n; i++) {
            l.add(element(depth));
          }
          return l;
        }
      default:
        {
          Object[] a = new Object[n];
          for (int i = 0; i < n; i++) {
            a[i] = value(depth + 1);
          }
          return List.of(a);
        }
    }
  }

  private Set<?> set(int depth) {
    int n = random.nextInt(5);
    Set<Object> s = random.nextBoolean() ? new LinkedHashSet<>() : new HashSet<>();
    for (int i = 0; i < n; i++) {
      s.add(element(depth));
    }
    return s;
  }

  private Map<String, ?> map(int depth) {
    int n = random.nextInt(5);
    Map<String, Object> m = random.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(key(), element(depth));
    }
    return m;
  }

  /**
   * Why {@code read} does not read back as {@code written}, or null if it does: equal, and at every
   * depth of the same type (any List as an ArrayList, Set as a LinkedHashSet, Map as a
   * LinkedHashMap, in the same iteration order).
   *
   * @param written what was set
   * @param read what came back
   * @return null, or a description of the first difference
   */
  static @Nullable String difference(@Nullable Object written, @Nullable Object read) {
    return difference("value", written, read);
  }

  private static @Nullable String difference(
      String path, @Nullable Object written, @Nullable Object read) {
    if (written == null || read == null) {
      return written == read ? null : path + ": " + written + " read back as " + read;
    }
    Class<?> expected =
        written instanceof List
            ? ArrayList.class
            : written instanceof Set
                ? LinkedHashSet.class
                : written instanceof Map ? LinkedHashMap.class : written.getClass();
    if (read.getClass() != expected) {
      return path
          + ": a "
          + written.getClass().getName()
          + " read back as a "
          + read.getClass().getName();
    }
    if (!written.equals(read)) {
      return path + ": " + written + " read back as " + read;
    }
    if (written instanceof Map<?, ?> w) {
      List<? extends Map.Entry<?, ?>> we = new ArrayList<>(w.entrySet());
      List<? extends Map.Entry<?, ?>> re = new ArrayList<>(((Map<?, ?>) read).entrySet());
      for (int i = 0; i < we.size(); i++) {
        if (!we.get(i).getKey().equals(re.get(i).getKey())) {
          return path + ": map order changed at entry " + i;
        }
        String d =
            difference(path + "." + we.get(i).getKey(), we.get(i).getValue(), re.get(i).getValue());
        if (d != null) {
          return d;
        }
      }
    } else if (written instanceof Iterable<?> w) {
      List<Object> wl = new ArrayList<>();
      w.forEach(wl::add);
      List<Object> rl = new ArrayList<>();
      ((Iterable<?>) read).forEach(rl::add);
      for (int i = 0; i < wl.size(); i++) {
        String d = difference(path + "[" + i + "]", wl.get(i), rl.get(i));
        if (d != null) {
          return d;
        }
      }
    }
    return null;
  }
}
