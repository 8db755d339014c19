package io.sessionkit.core;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes and checks session ids (and the other secrets SessionKit hands out, such as refresh
 * tokens).
 *
 * <p>An id is {@value Digests#TAG_CHARS} characters of slot tag followed by the base64url encoding
 * (no padding) of {@link #bits()} random bits from {@link SecureRandom}: 45 characters at the
 * default of {@value #DEFAULT_BITS} bits. The tag places every key of one user in one Redis Cluster
 * hash slot; it is 12 bits of a digest of the user id for a signed-in session and 12 random bits
 * for an anonymous one, so it carries nothing a reader could turn back into a user. Ids are
 * URL-safe and cookie-safe.
 *
 * <p>{@link #isWellFormed(CharSequence)} is the strict format check every store applies before any
 * I/O: exact length, base64url alphabet, canonical final character. Anything else is "no session".
 *
 * <p>Immutable and thread-safe.
 */
public final class SessionIdGenerator {
  /** The default number of random bits: 256. */
  public static final int DEFAULT_BITS = 256;

  /** The fewest random bits allowed: 128. */
  public static final int MIN_BITS = 128;

  /** The most random bits allowed: 512. */
  public static final int MAX_BITS = 512;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final SessionIdGenerator DEFAULTS = builder().build();

  /**
   * One generator per thread by default: a single shared {@link SecureRandom} serializes every
   * login of a busy server on its lock. Each thread's instance is a DRBG seeded from the system.
   */
  private static final ThreadLocal<SecureRandom> PER_THREAD =
      ThreadLocal.withInitial(SessionIdGenerator::newDrbg);

  private final int bits;
  private final @Nullable SecureRandom random;
  private final int randomChars;
  private final int unusedLowBits;

  private SessionIdGenerator(Builder b) {
    this.bits = b.bits;
    this.random = b.random;
    int bytes = bits / 8;
    this.randomChars = (bytes * 8 + 5) / 6;
    this.unusedLowBits = randomChars * 6 - bytes * 8;
  }

  private SecureRandom random() {
    return random != null ? random : PER_THREAD.get();
  }

  private static SecureRandom newDrbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /**
   * The default generator: {@value #DEFAULT_BITS} bits from a {@link SecureRandom} of each calling
   * thread's own (a DRBG seeded by the system), so that concurrent logins do not queue on one lock.
   *
   * @return the shared default generator
   */
  public static SessionIdGenerator defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this generator's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bits = bits;
    b.random = random;
    return b;
  }

  /**
   * The number of random bits in each id.
   *
   * @return bits, a multiple of 8 in [{@value #MIN_BITS}, {@value #MAX_BITS}]
   */
  public int bits() {
    return bits;
  }

  /**
   * The length of every id this generator makes.
   *
   * @return characters
   */
  public int idLength() {
    return Digests.TAG_CHARS + randomChars;
  }

  /**
   * A new id for an anonymous session, with a random slot tag.
   *
   * @return a new id
   */
  public String newAnonymousId() {
    byte[] tagBits = new byte[2];
    random().nextBytes(tagBits);
    return withTag(Digests.tagOf(((tagBits[0] & 0xff) << 4) | ((tagBits[1] & 0xff) >>> 4)));
  }

  /**
   * A new id in the slot of a user.
   *
   * @param userId the user the id will belong to
   * @return a new id
   */
  public String newIdForUser(String userId) {
    return withTag(Digests.tagForUser(Objects.requireNonNull(userId, "userId")));
  }

  /**
   * A new id with the same slot tag as an existing one (renewing an id keeps its slot).
   *
   * @param wellFormedId an id that passed {@link #isWellFormed(CharSequence)}
   * @return a new id
   */
  public String newIdLike(String wellFormedId) {
    return withTag(wellFormedId.substring(0, Digests.TAG_CHARS));
  }

  private String withTag(String tag) {
    byte[] bytes = new byte[bits / 8];
    random().nextBytes(bytes);
    return tag + B64.encodeToString(bytes);
  }

  /**
   * Whether a value has the exact form of an id this generator makes. Runs in time that depends on
   * the length only, touches no storage, and accepts null.
   *
   * @param id a candidate from a cookie, a header or an API call
   * @return {@code true} only for a well-formed id
   */
  public boolean isWellFormed(@Nullable CharSequence id) {
    if (id == null || id.length() != idLength()) {
      return false;
    }
    if (!Digests.isBase64Url(id, 0)) {
      return false;
    }
    int last = Digests.indexOf(id.charAt(id.length() - 1));
    return (last & ((1 << unusedLowBits) - 1)) == 0;
  }

  /**
   * The slot tag an id carries.
   *
   * @param wellFormedId an id that passed {@link #isWellFormed(CharSequence)}
   * @return its first {@value Digests#TAG_CHARS} characters
   */
  public static String tagOf(String wellFormedId) {
    return wellFormedId.substring(0, Digests.TAG_CHARS);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SessionIdGenerator g && bits == g.bits && random == g.random;
  }

  @Override
  public int hashCode() {
    return Objects.hash(bits, random == null ? 0 : System.identityHashCode(random));
  }

  @Override
  public String toString() {
    return "SessionIdGenerator{bits=" + bits + '}';
  }

  /** Builds a {@link SessionIdGenerator}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int bits = DEFAULT_BITS;
    private @Nullable SecureRandom random;

    private Builder() {}

    /**
     * Sets the number of random bits.
     *
     * @param bits a multiple of 8 in [{@value #MIN_BITS}, {@value #MAX_BITS}]
     * @return this builder
     * @throws IllegalArgumentException otherwise
     */
    public Builder bits(int bits) {
      if (bits < MIN_BITS || bits > MAX_BITS || bits % 8 != 0) {
        throw new IllegalArgumentException(
            "bits must be a multiple of 8 between "
                + MIN_BITS
                + " and "
                + MAX_BITS
                + ", was "
                + bits);
      }
      this.bits = bits;
      return this;
    }

    /**
     * Sets one source of randomness shared by every thread, instead of the default per-thread
     * sources; tests use this to force collisions.
     *
     * @param random a {@link SecureRandom}
     * @return this builder
     */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the generator.
     *
     * @return the generator
     */
    public SessionIdGenerator build() {
      return new SessionIdGenerator(this);
    }
  }
}
