package io.sessionkit.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configuration of a {@link TokenRevocationService} and its {@link RefreshTokenService}: clock,
 * retention bounds, clock skew and refresh-token lifetimes. Immutable and thread-safe.
 *
 * <p><b>Lifetimes and caps.</b> A revocation must last as long as the token can be used. {@link
 * #maxRevocationTtl()} is therefore also the longest token lifetime the service honours: {@link
 * TokenRevocationService#revoke} of a token that expires later than that from now is refused with
 * an {@link IllegalArgumentException} naming both (after marking it for the cap). A user watermark
 * must stop every token and refresh family of the user, so {@link #watermarkTtl()} must be at least
 * {@link #maxRevocationTtl()} and at least {@link #refreshFamilyMaxLifetime()}; {@link
 * Builder#build()} refuses a configuration where it is not.
 *
 * <p><b>Clock skew.</b> Servers' clocks differ by up to {@link #clockSkew()}. Decisions that deny
 * are widened by it so that they hold on every server: a user watermark is {@code now + clockSkew}
 * (so tokens issued within the skew after a "revoke all" are refused too), a revocation mark
 * outlives the token's expiry by the skew on every server, and a token that this server believes
 * expired less than the skew ago is still marked.
 */
public final class RevocationConfig {
  /** Longest time a revocation mark is kept, whatever the token's expiry says: 30 days. */
  public static final Duration DEFAULT_MAX_REVOCATION_TTL = Duration.ofDays(30);

  /** Extra time a revocation mark outlives its token, for servers whose clocks run behind: 60 s. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

  /**
   * How long a user watermark is kept; must cover the longest token lifetime and the longest
   * refresh family: 90 days, the default family lifetime.
   */
  public static final Duration DEFAULT_WATERMARK_TTL = Duration.ofDays(90);

  /** Sliding lifetime of a refresh token: 14 days. */
  public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofDays(14);

  /** Absolute lifetime of a refresh-token family: 90 days. */
  public static final Duration DEFAULT_REFRESH_FAMILY_MAX_LIFETIME = Duration.ofDays(90);

  /** How long a rotated refresh token still yields the same successor: 10 s. */
  public static final Duration DEFAULT_REFRESH_GRACE_WINDOW = Duration.ofSeconds(10);

  private static final RevocationConfig DEFAULTS = builder().build();

  private final Clock clock;
  private final Duration maxRevocationTtl;
  private final Duration clockSkew;
  private final Duration watermarkTtl;
  private final Duration refreshTokenTtl;
  private final Duration refreshFamilyMaxLifetime;
  private final Duration refreshGraceWindow;
  private final SessionIdGenerator idGenerator;
  private final List<RevocationListener> listeners;
  private final boolean auditLogging;

  private RevocationConfig(Builder b) {
    this.clock = b.clock;
    this.maxRevocationTtl = b.maxRevocationTtl;
    this.clockSkew = b.clockSkew;
    this.watermarkTtl = b.watermarkTtl;
    this.refreshTokenTtl = b.refreshTokenTtl;
    this.refreshFamilyMaxLifetime = b.refreshFamilyMaxLifetime;
    this.refreshGraceWindow = b.refreshGraceWindow;
    this.idGenerator = b.idGenerator;
    this.listeners = List.copyOf(b.listeners);
    this.auditLogging = b.auditLogging;
    if (refreshTokenTtl.compareTo(refreshFamilyMaxLifetime) > 0) {
      throw new IllegalArgumentException(
          "refreshTokenTtl "
              + refreshTokenTtl
              + " must not exceed refreshFamilyMaxLifetime "
              + refreshFamilyMaxLifetime);
    }
    if (watermarkTtl.compareTo(maxRevocationTtl) < 0) {
      throw new IllegalArgumentException(
          "watermarkTtl "
              + watermarkTtl
              + " must be at least maxRevocationTtl "
              + maxRevocationTtl
              + ", the longest token lifetime honoured: a \"revoke all\" would expire before tokens "
              + "it revoked");
    }
    if (watermarkTtl.compareTo(refreshFamilyMaxLifetime) < 0) {
      throw new IllegalArgumentException(
          "watermarkTtl "
              + watermarkTtl
              + " must be at least refreshFamilyMaxLifetime "
              + refreshFamilyMaxLifetime
              + ": a \"revoke all\" would expire before refresh families it revoked");
    }
  }

  /**
   * @return the defaults, as the constants say
   */
  public static RevocationConfig defaults() {
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
    b.clock = clock;
    b.maxRevocationTtl = maxRevocationTtl;
    b.clockSkew = clockSkew;
    b.watermarkTtl = watermarkTtl;
    b.refreshTokenTtl = refreshTokenTtl;
    b.refreshFamilyMaxLifetime = refreshFamilyMaxLifetime;
    b.refreshGraceWindow = refreshGraceWindow;
    b.idGenerator = idGenerator;
    b.listeners.addAll(listeners);
    b.auditLogging = auditLogging;
    return b;
  }

  /**
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * @return the cap on how long a revocation mark is kept, and so the longest token lifetime {@link
   *     TokenRevocationService#revoke} accepts
   */
  public Duration maxRevocationTtl() {
    return maxRevocationTtl;
  }

  /**
   * @return how far servers' clocks may differ: revocation marks outlive their token's expiry by
   *     it, and user watermarks are set this far ahead of now
   */
  public Duration clockSkew() {
    return clockSkew;
  }

  /**
   * @return how long user watermarks are kept after they were last raised (plus twice the skew)
   */
  public Duration watermarkTtl() {
    return watermarkTtl;
  }

  /**
   * @return sliding lifetime of a refresh token
   */
  public Duration refreshTokenTtl() {
    return refreshTokenTtl;
  }

  /**
   * @return absolute lifetime of a refresh-token family
   */
  public Duration refreshFamilyMaxLifetime() {
    return refreshFamilyMaxLifetime;
  }

  /**
   * @return how long a rotated refresh token still yields the same successor; zero for none
   */
  public Duration refreshGraceWindow() {
    return refreshGraceWindow;
  }

  /**
   * @return the generator of refresh tokens
   */
  public SessionIdGenerator idGenerator() {
    return idGenerator;
  }

  /**
   * @return the listeners the application registered
   */
  public List<RevocationListener> listeners() {
    return listeners;
  }

  /**
   * @return whether events go to {@link AuditLog}
   */
  public boolean auditLogging() {
    return auditLogging;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RevocationConfig c
        && clock.equals(c.clock)
        && maxRevocationTtl.equals(c.maxRevocationTtl)
        && clockSkew.equals(c.clockSkew)
        && watermarkTtl.equals(c.watermarkTtl)
        && refreshTokenTtl.equals(c.refreshTokenTtl)
        && refreshFamilyMaxLifetime.equals(c.refreshFamilyMaxLifetime)
        && refreshGraceWindow.equals(c.refreshGraceWindow)
        && idGenerator.equals(c.idGenerator)
        && listeners.equals(c.listeners)
        && auditLogging == c.auditLogging;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        clock,
        maxRevocationTtl,
        clockSkew,
        watermarkTtl,
        refreshTokenTtl,
        refreshFamilyMaxLifetime,
        refreshGraceWindow,
        idGenerator,
        listeners,
        auditLogging);
  }

  @Override
  public String toString() {
    return "RevocationConfig{clock="
        + clock
        + ", maxRevocationTtl="
        + maxRevocationTtl
        + ", clockSkew="
        + clockSkew
        + ", watermarkTtl="
        + watermarkTtl
        + ", refreshTokenTtl="
        + refreshTokenTtl
        + ", refreshFamilyMaxLifetime="
        + refreshFamilyMaxLifetime
        + ", refreshGraceWindow="
        + refreshGraceWindow
        + ", listeners="
        + listeners.size()
        + ", auditLogging="
        + auditLogging
        + '}';
  }

  /** Builds a {@link RevocationConfig}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration maxRevocationTtl = DEFAULT_MAX_REVOCATION_TTL;
    private Duration clockSkew = DEFAULT_CLOCK_SKEW;
    private Duration watermarkTtl = DEFAULT_WATERMARK_TTL;
    private Duration refreshTokenTtl = DEFAULT_REFRESH_TOKEN_TTL;
    private Duration refreshFamilyMaxLifetime = DEFAULT_REFRESH_FAMILY_MAX_LIFETIME;
    private Duration refreshGraceWindow = DEFAULT_REFRESH_GRACE_WINDOW;
    private SessionIdGenerator idGenerator = SessionIdGenerator.defaults();
    private final List<RevocationListener> listeners = new ArrayList<>();
    private boolean auditLogging = true;

    private Builder() {}

    /**
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param maxRevocationTtl positive cap on a revocation mark's lifetime, and so the longest
     *     token lifetime {@code revoke} accepts; at most {@link #watermarkTtl}
     * @return this builder
     */
    public Builder maxRevocationTtl(Duration maxRevocationTtl) {
      this.maxRevocationTtl = positive("maxRevocationTtl", maxRevocationTtl);
      return this;
    }

    /**
     * @param clockSkew zero or positive
     * @return this builder
     */
    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = notNegative("clockSkew", clockSkew);
      return this;
    }

    /**
     * @param watermarkTtl positive; at least {@code maxRevocationTtl} and {@code
     *     refreshFamilyMaxLifetime} (checked by {@link #build()})
     * @return this builder
     */
    public Builder watermarkTtl(Duration watermarkTtl) {
      this.watermarkTtl = positive("watermarkTtl", watermarkTtl);
      return this;
    }

    /**
     * @param refreshTokenTtl positive sliding lifetime of a refresh token
     * @return this builder
     */
    public Builder refreshTokenTtl(Duration refreshTokenTtl) {
      this.refreshTokenTtl = positive("refreshTokenTtl", refreshTokenTtl);
      return this;
    }

    /**
     * @param refreshFamilyMaxLifetime positive absolute lifetime of a family
     * @return this builder
     */
    public Builder refreshFamilyMaxLifetime(Duration refreshFamilyMaxLifetime) {
      this.refreshFamilyMaxLifetime =
          positive("refreshFamilyMaxLifetime", refreshFamilyMaxLifetime);
      return this;
    }

    /**
     * @param refreshGraceWindow zero (no grace) or positive, at most one minute
     * @return this builder
     */
    public Builder refreshGraceWindow(Duration refreshGraceWindow) {
      notNegative("refreshGraceWindow", refreshGraceWindow);
      if (refreshGraceWindow.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "refreshGraceWindow must be at most 1 minute, was " + refreshGraceWindow);
      }
      this.refreshGraceWindow = refreshGraceWindow;
      return this;
    }

    /**
     * @param idGenerator generator of refresh tokens
     * @return this builder
     */
    public Builder idGenerator(SessionIdGenerator idGenerator) {
      this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
      return this;
    }

    /**
     * @param listener a listener to add
     * @return this builder
     */
    public Builder addListener(RevocationListener listener) {
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
     * @return the configuration
     * @throws IllegalArgumentException if the refresh token lifetime exceeds the family lifetime,
     *     or the watermark lifetime is shorter than {@code maxRevocationTtl} or the family lifetime
     */
    public RevocationConfig build() {
      return new RevocationConfig(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    private static Duration notNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
