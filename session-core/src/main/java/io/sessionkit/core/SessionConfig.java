package io.sessionkit.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link SessionStore} needs to know that is not about its backend: TTL and login
 * policies, the id generator, the attribute codec, the clock, listeners, tombstone lifetime and the
 * maximum session size. Shared by every store implementation.
 *
 * <p><b>Login limit.</b> The default {@link LoginPolicy#defaults()} caps a user at {@value
 * LoginPolicy#DEFAULT_MAX_SESSIONS_PER_USER} sessions and evicts the least recently active beyond
 * that, which bounds the work of every store call whatever one user does.
 *
 * <p><b>Clock skew.</b> Several servers judge the same sessions with their own clocks. {@link
 * #clockSkew()} is how far apart those clocks may be, and the stores apply one rule: a server may
 * refuse a session its own clock says has expired; a decision that denies (counting sessions
 * against a login limit) counts a session until it has expired by more than the skew; and shared
 * data (a session, its index entry) is deleted as expired only once it has expired by more than the
 * skew, so a server whose clock runs ahead never removes what is live for the others. Keep the
 * servers' clocks synchronised (NTP) well within it.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * SessionConfig config = SessionConfig.builder()
 *     .ttlPolicy(TtlPolicy.idleAndAbsolute(Duration.ofMinutes(30), Duration.ofHours(8)))
 *     .loginPolicy(LoginPolicy.maxSessionsPerUser(3, OnLimit.EVICT_OLDEST))
 *     .build();
 * SessionStore store = InMemorySessionStore.create(config);
 * }</pre>
 */
public final class SessionConfig {
  /** How long a tombstone tells why a session ended: 10 minutes. */
  public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofMinutes(10);

  /** The default maximum encoded size of a session's attributes: 64 KiB. */
  public static final int DEFAULT_MAX_SESSION_BYTES = 64 * 1024;

  /**
   * The default bound on how far the clocks of the application's servers may differ: 60 seconds,
   * the same as {@link RevocationConfig#DEFAULT_CLOCK_SKEW}.
   */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  private static final SessionConfig DEFAULTS = builder().build();

  private final TtlPolicy ttlPolicy;
  private final LoginPolicy loginPolicy;
  private final SessionIdGenerator idGenerator;
  private final AttributeCodec codec;
  private final Clock clock;
  private final List<SessionListener> listeners;
  private final boolean auditLogging;
  private final Duration tombstoneTtl;
  private final int maxSessionBytes;
  private final Duration clockSkew;

  private SessionConfig(Builder b) {
    this.ttlPolicy = b.ttlPolicy;
    this.loginPolicy = b.loginPolicy;
    this.idGenerator = b.idGenerator;
    this.codec = b.codec;
    this.clock = b.clock;
    this.listeners = List.copyOf(b.listeners);
    this.auditLogging = b.auditLogging;
    this.tombstoneTtl = b.tombstoneTtl;
    this.maxSessionBytes = b.maxSessionBytes;
    this.clockSkew = b.clockSkew;
  }

  /**
   * @return the defaults: see each constant and {@link TtlPolicy#defaults()}
   */
  public static SessionConfig defaults() {
    return DEFAULTS;
  }

  /**
   * @return a new builder starting from the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a new builder holding this configuration
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.ttlPolicy = ttlPolicy;
    b.loginPolicy = loginPolicy;
    b.idGenerator = idGenerator;
    b.codec = codec;
    b.clock = clock;
    b.listeners.addAll(listeners);
    b.auditLogging = auditLogging;
    b.tombstoneTtl = tombstoneTtl;
    b.maxSessionBytes = maxSessionBytes;
    b.clockSkew = clockSkew;
    return b;
  }

  /**
   * @return the TTL policy
   */
  public TtlPolicy ttlPolicy() {
    return ttlPolicy;
  }

  /**
   * @return the login policy
   */
  public LoginPolicy loginPolicy() {
    return loginPolicy;
  }

  /**
   * @return the id generator, whose format check guards every store call
   */
  public SessionIdGenerator idGenerator() {
    return idGenerator;
  }

  /**
   * @return the attribute codec
   */
  public AttributeCodec codec() {
    return codec;
  }

  /**
   * @return the clock every time in the store comes from
   */
  public Clock clock() {
    return clock;
  }

  /**
   * @return the listeners the application registered (the audit log is not among them)
   */
  public List<SessionListener> listeners() {
    return listeners;
  }

  /**
   * @return whether events go to {@link AuditLog}
   */
  public boolean auditLogging() {
    return auditLogging;
  }

  /**
   * @return how long a tombstone reports why a session ended
   */
  public Duration tombstoneTtl() {
    return tombstoneTtl;
  }

  /**
   * @return the maximum encoded size of a session's attribute names and values, in bytes
   */
  public int maxSessionBytes() {
    return maxSessionBytes;
  }

  /**
   * How far apart the servers' clocks may be (see the class comment).
   *
   * @return the skew, zero or positive
   */
  public Duration clockSkew() {
    return clockSkew;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SessionConfig c
        && ttlPolicy.equals(c.ttlPolicy)
        && loginPolicy.equals(c.loginPolicy)
        && idGenerator.equals(c.idGenerator)
        && codec.equals(c.codec)
        && clock.equals(c.clock)
        && listeners.equals(c.listeners)
        && auditLogging == c.auditLogging
        && tombstoneTtl.equals(c.tombstoneTtl)
        && maxSessionBytes == c.maxSessionBytes
        && clockSkew.equals(c.clockSkew);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        ttlPolicy,
        loginPolicy,
        idGenerator,
        codec,
        clock,
        listeners,
        auditLogging,
        tombstoneTtl,
        maxSessionBytes,
        clockSkew);
  }

  @Override
  public String toString() {
    return "SessionConfig{"
        + ttlPolicy
        + ", "
        + loginPolicy
        + ", "
        + idGenerator
        + ", codec="
        + codec
        + ", clock="
        + clock
        + ", listeners="
        + listeners.size()
        + ", auditLogging="
        + auditLogging
        + ", tombstoneTtl="
        + tombstoneTtl
        + ", maxSessionBytes="
        + maxSessionBytes
        + ", clockSkew="
        + clockSkew
        + '}';
  }

  /** Builds a {@link SessionConfig}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private TtlPolicy ttlPolicy = TtlPolicy.defaults();
    private LoginPolicy loginPolicy = LoginPolicy.defaults();
    private SessionIdGenerator idGenerator = SessionIdGenerator.defaults();
    private AttributeCodec codec = JsonAttributeCodec.defaults();
    private Clock clock = Clock.systemUTC();
    private final List<SessionListener> listeners = new ArrayList<>();
    private boolean auditLogging = true;
    private Duration tombstoneTtl = DEFAULT_TOMBSTONE_TTL;
    private int maxSessionBytes = DEFAULT_MAX_SESSION_BYTES;
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;

    private Builder() {}

    /**
     * @param ttlPolicy idle and absolute timeouts and the touch interval
     * @return this builder
     */
    public Builder ttlPolicy(TtlPolicy ttlPolicy) {
      this.ttlPolicy = Objects.requireNonNull(ttlPolicy, "ttlPolicy");
      return this;
    }

    /**
     * @param loginPolicy login limits (default {@link LoginPolicy#defaults()})
     * @return this builder
     */
    public Builder loginPolicy(LoginPolicy loginPolicy) {
      this.loginPolicy = Objects.requireNonNull(loginPolicy, "loginPolicy");
      return this;
    }

    /**
     * @param idGenerator the id generator (default {@link SessionIdGenerator#defaults()})
     * @return this builder
     */
    public Builder idGenerator(SessionIdGenerator idGenerator) {
      this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
      return this;
    }

    /**
     * @param codec the attribute codec (default {@link JsonAttributeCodec#defaults()})
     * @return this builder
     */
    public Builder codec(AttributeCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * @param clock the clock (default {@link Clock#systemUTC()}); tests pass a mutable one
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds a listener.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder addListener(SessionListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @param auditLogging whether to write events to {@link AuditLog} (default true)
     * @return this builder
     */
    public Builder auditLogging(boolean auditLogging) {
      this.auditLogging = auditLogging;
      return this;
    }

    /**
     * @param tombstoneTtl how long an ended session's reason is kept; zero keeps none
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder tombstoneTtl(Duration tombstoneTtl) {
      Objects.requireNonNull(tombstoneTtl, "tombstoneTtl");
      if (tombstoneTtl.isNegative()) {
        throw new IllegalArgumentException(
            "tombstoneTtl must not be negative, was " + tombstoneTtl);
      }
      this.tombstoneTtl = tombstoneTtl;
      return this;
    }

    /**
     * @param maxSessionBytes the maximum encoded size of a session's attributes, at least 1024
     * @return this builder
     * @throws IllegalArgumentException if below 1024
     */
    public Builder maxSessionBytes(int maxSessionBytes) {
      if (maxSessionBytes < 1024) {
        throw new IllegalArgumentException(
            "maxSessionBytes must be at least 1024, was " + maxSessionBytes);
      }
      this.maxSessionBytes = maxSessionBytes;
      return this;
    }

    /**
     * @param clockSkew how far apart the servers' clocks may be (default {@link
     *     #DEFAULT_CLOCK_SKEW}), zero to one day
     * @return this builder
     * @throws IllegalArgumentException if negative or longer than a day
     */
    public Builder clockSkew(Duration clockSkew) {
      Objects.requireNonNull(clockSkew, "clockSkew");
      if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "clockSkew must be between zero and one day, was " + clockSkew);
      }
      this.clockSkew = clockSkew;
      return this;
    }

    /**
     * @return the configuration
     */
    public SessionConfig build() {
      return new SessionConfig(this);
    }
  }
}
