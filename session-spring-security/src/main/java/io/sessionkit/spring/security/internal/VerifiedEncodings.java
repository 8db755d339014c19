package io.sessionkit.spring.security.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Encodings already read back successfully, remembered by their SHA-256 digest (never in clear:
 * they may hold CSRF tokens), so that a value written again unchanged is not read back again.
 * Bounded; thread-safe.
 */
public final class VerifiedEncodings {
  private final Cache<String, Boolean> digests;

  /**
   * @param maximumSize how many digests to keep
   */
  public VerifiedEncodings(int maximumSize) {
    this.digests = Caffeine.newBuilder().maximumSize(maximumSize).build();
  }

  /**
   * @param encoded an encoding
   * @return whether it was verified before
   */
  public boolean contains(String encoded) {
    return digests.getIfPresent(digest(encoded)) != null;
  }

  /**
   * @param encoded an encoding that was read back successfully
   */
  public void add(String encoded) {
    digests.put(digest(encoded), Boolean.TRUE);
  }

  private static String digest(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return Base64.getEncoder().encodeToString(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
