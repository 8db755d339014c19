package io.sessionkit.examples;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The demo's users and their passwords, standing in for an application's user database. Both nodes
 * run in one process and share one directory; sessions and token revocations, the part SessionKit
 * handles, live in the session store and are what the nodes share through it.
 *
 * <p>Passwords are kept as salted PBKDF2 hashes and compared in constant time, as an application
 * should. Thread-safe.
 */
final class UserDirectory {
  /** The users every demo starts with. */
  static final List<String> DEMO_USERS = List.of("alice", "bob");

  /** Their initial password. */
  static final String DEMO_PASSWORD = "demo";

  /** The shortest password {@link #changePassword} accepts. */
  static final int MIN_PASSWORD_LENGTH = 4;

  private static final int ITERATIONS = 20_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  @SuppressWarnings(
      "ArrayRecordComponent") // never compared as records: MessageDigest.isEqual compares the bytes
  private record Hash(byte[] salt, byte[] hash) {}

  private final Map<String, Hash> users = new ConcurrentHashMap<>();

  static UserDirectory withDemoUsers() {
    UserDirectory d = new UserDirectory();
    DEMO_USERS.forEach(u -> d.users.put(u, hash(DEMO_PASSWORD)));
    return d;
  }

  /** Whether {@code user} exists and {@code password} is theirs; the same work either way. */
  boolean authenticate(String user, String password) {
    Hash h = users.get(user);
    Hash probe = h == null ? hash(password) : h;
    boolean match = MessageDigest.isEqual(probe.hash(), derive(password, probe.salt()));
    return h != null && match;
  }

  /**
   * Sets a new password.
   *
   * @throws IllegalArgumentException if the user is unknown or the password too short
   */
  void changePassword(String user, String newPassword) {
    if (newPassword.strip().length() < MIN_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "the new password needs at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    if (users.computeIfPresent(user, (u, old) -> hash(newPassword)) == null) {
      throw new IllegalArgumentException("no such user");
    }
  }

  private static Hash hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return new Hash(salt, derive(password, salt));
  }

  private static byte[] derive(String password, byte[] salt) {
    try {
      KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
    }
  }

  @Override
  public String toString() {
    return "UserDirectory" + users.keySet();
  }
}
