package io.sessionkit.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The one-way derivations that keep secrets out of storage: a session's handle (and storage key) is
 * a truncated SHA-256 of its id, a user's and a token's keys are truncated SHA-256 digests of their
 * ids, and a user's slot tag is the first 12 bits of the digest of the user id.
 */
public final class Digests {
  /** Length of a handle or key digest in base64url characters (132 bits). */
  public static final int DIGEST_CHARS = 22;

  /** Length of a slot tag in base64url characters (12 bits, 4096 tags). */
  public static final int TAG_CHARS = 2;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

  private Digests() {}

  /**
   * The SHA-256 digest of a string's UTF-8 bytes, in base64url, truncated to {@link #DIGEST_CHARS}.
   *
   * @param domain a short label separating the uses of the digest (session, user, token)
   * @param value the value to digest
   * @return 22 base64url characters
   */
  public static String digest(String domain, String value) {
    byte[] d = sha256(domain, value);
    return B64.encodeToString(d).substring(0, DIGEST_CHARS);
  }

  /**
   * The non-secret handle of a session id.
   *
   * @param sessionId a well-formed session id
   * @return the handle, 22 base64url characters
   */
  public static String handleOf(String sessionId) {
    return digest("s", sessionId);
  }

  /**
   * The slot tag of a user: the first 12 bits of a digest of the user id.
   *
   * @param userId the user id
   * @return 2 base64url characters
   */
  public static String tagForUser(String userId) {
    byte[] d = sha256("u", userId);
    int bits = ((d[0] & 0xff) << 4) | ((d[1] & 0xff) >>> 4);
    return tagOf(bits);
  }

  /**
   * The tag for 12 bits.
   *
   * @param bits a value in [0, 4096)
   * @return 2 base64url characters
   */
  public static String tagOf(int bits) {
    return new String(new char[] {ALPHABET[(bits >>> 6) & 63], ALPHABET[bits & 63]});
  }

  /**
   * Whether a string holds only base64url characters.
   *
   * @param s the string
   * @param from first index to check
   * @return true if every character from {@code from} on is in {@code [A-Za-z0-9_-]}
   */
  public static boolean isBase64Url(CharSequence s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The 6-bit value of a base64url character.
   *
   * @param c a character
   * @return its value, or -1 if it is not in the base64url alphabet
   */
  public static int indexOf(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '-') {
      return 62;
    }
    if (c == '_') {
      return 63;
    }
    return -1;
  }

  /**
   * Whether a string is a well-formed handle or key digest.
   *
   * @param handle the candidate, may be null
   * @return true if it has exactly {@link #DIGEST_CHARS} base64url characters
   */
  public static boolean isDigest(@Nullable String handle) {
    return handle != null && handle.length() == DIGEST_CHARS && isBase64Url(handle, 0);
  }

  /** One digest per thread: {@code MessageDigest.getInstance} costs more than hashing an id. */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every Java platform has SHA-256", e);
            }
          });

  private static byte[] sha256(String domain, String value) {
    MessageDigest md = SHA256.get();
    md.reset();
    md.update(domain.getBytes(StandardCharsets.US_ASCII));
    md.update((byte) 0);
    return md.digest(value.getBytes(StandardCharsets.UTF_8));
  }
}
