package io.sessionkit.core.internal;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionTooLargeException;
import java.util.Map;

/**
 * Size accounting for {@link SessionConfig#maxSessionBytes()}: the size of a session is the sum of
 * the UTF-8 lengths of its attribute names and encoded values. System fields (times, user,
 * metadata) do not count, so the limit means the same thing in every store.
 */
public final class SessionSize {
  private SessionSize() {}

  /**
   * The UTF-8 length of a string, computed without allocating.
   *
   * @param s the string
   * @return its length in UTF-8 bytes; an unpaired surrogate counts as the 1-byte {@code '?'} that
   *     the JDK encoder writes for it
   */
  public static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * The size one attribute adds to its session.
   *
   * @param name the attribute name
   * @param encodedValue its encoded value
   * @return UTF-8 bytes of both
   */
  public static long of(String name, String encodedValue) {
    return utf8Length(name) + utf8Length(encodedValue);
  }

  /**
   * The size of a set of encoded attributes.
   *
   * @param encoded attribute names to encoded values
   * @return the sum of {@link #of(String, String)} over the entries
   */
  public static long of(Map<String, String> encoded) {
    long n = 0;
    for (Map.Entry<String, String> e : encoded.entrySet()) {
      n += of(e.getKey(), e.getValue());
    }
    return n;
  }

  /**
   * Throws if a size is over the limit.
   *
   * @param size the size a session would have
   * @param maxSessionBytes the limit
   * @throws SessionTooLargeException if {@code size > maxSessionBytes}
   */
  public static void check(long size, int maxSessionBytes) {
    if (size > maxSessionBytes) {
      throw new SessionTooLargeException(size, maxSessionBytes);
    }
  }
}
