package io.sessionkit.redis;

import io.sessionkit.core.SessionIdGenerator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * Hostile strings for the bad-input suites, drawn from a seeded {@link Random} so that a failure
 * reproduces: empty, huge, non-ASCII, NUL, CR/LF, glob and hash-tag characters, path traversal,
 * quoted values, and well-formed ids spoiled by one character, one too many or one too few.
 */
final class FuzzInputs {
  /**
   * The characters that have broken session stores before: globs, hash tags, separators, controls.
   */
  static final String NASTY = "*?[]{}:\0\r\n\t \"'\\/;,=%.$#@!|<>`~^&+";

  private static final String[] FRAGMENTS = {
    "../",
    "..\\",
    "{x}",
    "{",
    "}",
    "*",
    ":",
    "\r\n",
    "\0",
    "\"",
    "%0d%0a",
    "%00",
    "\u00e9",
    "\u202e",
    "\ud83d\ude00",
    "\ufffd",
    "sk:",
    "{sk}:",
    "s:",
    "KEYS *",
    "\u0085",
    "\u2028",
    "\\u0000"
  };

  private final Random random;
  private final SessionIdGenerator ids = SessionIdGenerator.defaults();

  FuzzInputs(long seed) {
    this.random = new Random(seed);
  }

  /**
   * @return a string the default generator rejects; never a well-formed id
   */
  String badId() {
    String s;
    do {
      s = candidate();
    } while (ids.isWellFormed(s));
    return s;
  }

  private String candidate() {
    String valid = ids.newAnonymousId();
    switch (random.nextInt(12)) {
      case 0:
        return "";
      case 1:
        return repeat(1 + random.nextInt(20_000));
      case 2:
        { // one character of a real id replaced by a nasty or non-ASCII one
          char[] c = valid.toCharArray();
          c[random.nextInt(c.length)] = nastyChar();
          return new String(c);
        }
      case 3:
        return valid + nastyChar();
      case 4:
        return valid.substring(0, valid.length() - 1 - random.nextInt(5));
      case 5:
        return '"' + valid + '"';
      case 6:
        return valid.substring(0, 2) + "}" + valid.substring(3);
      case 7:
        { // right length, wrong alphabet
          StringBuilder sb = new StringBuilder();
          while (sb.length() < valid.length()) {
            sb.append(nastyChar());
          }
          return sb.toString();
        }
      case 8:
        return FRAGMENTS[random.nextInt(FRAGMENTS.length)] + valid;
      case 9:
        return valid.replace(valid.charAt(valid.length() - 1), '\u0410'); // Cyrillic A looks like A
      case 10:
        return valid + valid;
      default:
        return mixture(1 + random.nextInt(200));
    }
  }

  /**
   * @return a mixture of nasty characters and fragments, at most a little over {@code n} chars
   */
  String mixture(int n) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < n) {
      if (random.nextBoolean()) {
        sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      } else {
        sb.append(nastyChar());
      }
    }
    return sb.toString();
  }

  private String repeat(int n) {
    char c = random.nextBoolean() ? 'A' : nastyChar();
    return String.valueOf(c).repeat(n);
  }

  char nastyChar() {
    int k = random.nextInt(4);
    if (k == 0) {
      return (char) (0x80 + random.nextInt(0xd000)); // non-ASCII, no surrogates
    }
    if (k == 1) {
      return (char) random.nextInt(0x20); // control characters, NUL included
    }
    return NASTY.charAt(random.nextInt(NASTY.length()));
  }

  /**
   * @return {@code n} distinct user ids made of the nasty characters and fragments
   */
  List<String> nastyUserIds(int n) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    // Pairs that would collide if a key were built by concatenation rather than digest.
    out.addAll(
        List.of(
            "a:b",
            "a",
            "a:",
            ":b",
            "*",
            "{x}",
            "x",
            "{x}:s:y",
            "alice\r\n",
            "alice",
            "alice\n",
            "alice\0",
            "../alice",
            "\"alice\"",
            "ALICE"));
    while (out.size() < n) {
      out.add(mixture(1 + random.nextInt(40)));
    }
    return new ArrayList<>(out).subList(0, n);
  }

  /**
   * @return the random source, for choices the callers make themselves
   */
  Random random() {
    return random;
  }
}
