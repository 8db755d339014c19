package io.sessionkit.redis.internal;

import java.time.Instant;

/**
 * Instants as fixed-width strings ({@code 12-digit epoch seconds '.' 9-digit nanoseconds}) whose
 * string order is their time order, so that Lua scripts compare watermarks to the nanosecond (a Lua
 * number cannot hold epoch nanoseconds). Instants before the epoch clamp to it, instants past year
 * 33658 to the largest stamp.
 */
public final class Stamps {
  private static final long MAX_SECONDS = 999_999_999_999L;

  private Stamps() {}

  public static String of(Instant t) {
    long s = t.getEpochSecond();
    int n = t.getNano();
    if (s < 0) {
      s = 0;
      n = 0;
    } else if (s > MAX_SECONDS) {
      s = MAX_SECONDS;
      n = 999_999_999;
    }
    return String.format("%012d.%09d", s, n);
  }

  public static Instant parse(String stamp) {
    int dot = stamp.indexOf('.');
    return Instant.ofEpochSecond(
        Long.parseLong(stamp.substring(0, dot)), Long.parseLong(stamp.substring(dot + 1)));
  }
}
