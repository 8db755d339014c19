package io.sessionkit.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps a rotated refresh token's successor in storage without storing a usable token: the
 * successor is encrypted with AES-256-GCM under a key derived from the <em>predecessor</em>, which
 * storage holds only as a truncated digest. Only a client presenting the predecessor again (a retry
 * within the grace window) can recover the successor; a storage dump cannot.
 *
 * <p>Key: SHA-256 of {@code "successor-key" || 0x00 || UTF-8(predecessor)}, a derivation separate
 * from the storage digests of {@link Digests}. Nonce: 12 random bytes per encryption. Associated
 * data: a caller-chosen context (the record's storage key), so a ciphertext moved to another record
 * does not open. Encoding: base64url without padding of {@code nonce || ciphertext || tag}.
 *
 * <p>JDK only; thread-safe.
 */
public final class SuccessorCipher {
  /** Bytes of the random nonce. */
  public static final int NONCE_BYTES = 12;

  /** Bits of the GCM authentication tag. */
  public static final int TAG_BITS = 128;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private SuccessorCipher() {}

  /**
   * Encrypts a successor under a key derived from its predecessor.
   *
   * @param predecessor the token that was presented and is now spent
   * @param successor the token to keep for retries
   * @param context what the ciphertext belongs to (authenticated, not encrypted)
   * @return base64url of nonce, ciphertext and tag
   */
  public static String seal(String predecessor, String successor, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, predecessor, nonce, context);
      byte[] ct = c.doFinal(successor.getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(
          ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is required of every Java platform", e);
    }
  }

  /**
   * Decrypts a successor.
   *
   * @param predecessor the token the client presented
   * @param sealed a value from {@link #seal}
   * @param context the same context as given to {@link #seal}
   * @return the successor, or empty if the value does not open with this predecessor and context
   *     (wrong token, tampered or malformed value); the cause is deliberately not told apart
   */
  public static Optional<String> open(String predecessor, String sealed, String context) {
    byte[] all;
    try {
      all = B64D.decode(sealed);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (all.length < NONCE_BYTES + TAG_BITS / 8) {
      return Optional.empty();
    }
    byte[] nonce = Arrays.copyOf(all, NONCE_BYTES);
    try {
      Cipher c = cipher(Cipher.DECRYPT_MODE, predecessor, nonce, context);
      byte[] pt = c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      return Optional.of(new String(pt, StandardCharsets.UTF_8));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is required of every Java platform", e);
    }
  }

  private static Cipher cipher(int mode, String predecessor, byte[] nonce, String context)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key(predecessor), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return c;
  }

  private static byte[] key(String predecessor) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update("successor-key".getBytes(StandardCharsets.US_ASCII));
      md.update((byte) 0);
      return md.digest(predecessor.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
