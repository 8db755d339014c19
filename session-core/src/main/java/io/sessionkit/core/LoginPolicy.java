package io.sessionkit.core;

import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * How many sessions one user may hold at once, and what a login does beyond that.
 *
 * <p>A store enforces the policy atomically at {@link SessionStore#login}: logins racing on
 * different servers never leave more sessions than the limit. The per-device-type limit applies to
 * each {@link SessionMetadata#deviceType() device type} on its own ("one phone and one browser");
 * sessions without a device type are counted only against the per-user limit.
 *
 * <p><b>Default: a cap.</b> {@link #defaults()} (and a new {@link #builder()}) allow {@value
 * #DEFAULT_MAX_SESSIONS_PER_USER} sessions per user and evict the least recently active beyond that
 * ({@link OnLimit#EVICT_OLDEST}). The cap keeps the work of every login, list and
 * sign-out-everywhere bounded whatever a client does (one user logging in in a loop cannot make a
 * store's calls slower for everyone). Limits are at most {@value #MAX_LIMIT}; {@link #unlimited()}
 * remains for applications that bound sessions some other way: stores then still do bounded work
 * per call, but a user's index of sessions can grow without bound.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * LoginPolicy onePerDevice = LoginPolicy.builder()
 *     .maxSessionsPerUser(3)
 *     .maxSessionsPerDeviceType(1)
 *     .onLimit(OnLimit.EVICT_OLDEST)
 *     .build();
 * }</pre>
 */
public final class LoginPolicy {
  /** The default action at the limit: {@link OnLimit#EVICT_OLDEST}. */
  public static final OnLimit DEFAULT_ON_LIMIT = OnLimit.EVICT_OLDEST;

  /** The default cap on live sessions per user: 100. */
  public static final int DEFAULT_MAX_SESSIONS_PER_USER = 100;

  /** The largest limit a policy accepts: 1,000 (a login at the limit reads each session once). */
  public static final int MAX_LIMIT = 1_000;

  private static final LoginPolicy DEFAULTS = builder().build();
  private static final LoginPolicy UNLIMITED = builder().unlimitedSessionsPerUser().build();

  private final int maxPerUser;
  private final int maxPerDeviceType;
  private final OnLimit onLimit;

  private LoginPolicy(Builder b) {
    this.maxPerUser = b.maxPerUser;
    this.maxPerDeviceType = b.maxPerDeviceType;
    this.onLimit = b.onLimit;
  }

  /**
   * The default: at most {@value #DEFAULT_MAX_SESSIONS_PER_USER} sessions per user, evicting the
   * least recently active ({@link #DEFAULT_ON_LIMIT}), no per-device-type limit.
   *
   * @return the default policy
   */
  public static LoginPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * No limit at all. Not the default: see the class comment for what it costs.
   *
   * @return the unlimited policy
   */
  public static LoginPolicy unlimited() {
    return UNLIMITED;
  }

  /**
   * At most {@code max} sessions per user.
   *
   * @param max the limit, at least 1
   * @param onLimit what a login beyond the limit does
   * @return the policy
   */
  public static LoginPolicy maxSessionsPerUser(int max, OnLimit onLimit) {
    return builder().maxSessionsPerUser(max).onLimit(onLimit).build();
  }

  /**
   * A builder starting from the defaults ({@value #DEFAULT_MAX_SESSIONS_PER_USER} per user, evict
   * the oldest).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from this policy.
   *
   * @return a new builder holding this policy's values
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxPerUser = maxPerUser;
    b.maxPerDeviceType = maxPerDeviceType;
    b.onLimit = onLimit;
    return b;
  }

  /**
   * The per-user limit.
   *
   * @return the maximum number of live sessions per user, empty if unlimited
   */
  public OptionalInt maxSessionsPerUser() {
    return maxPerUser == 0 ? OptionalInt.empty() : OptionalInt.of(maxPerUser);
  }

  /**
   * The per-device-type limit.
   *
   * @return the maximum number of live sessions per user and device type, empty if unlimited
   */
  public OptionalInt maxSessionsPerDeviceType() {
    return maxPerDeviceType == 0 ? OptionalInt.empty() : OptionalInt.of(maxPerDeviceType);
  }

  /**
   * What a login beyond a limit does.
   *
   * @return the action
   */
  public OnLimit onLimit() {
    return onLimit;
  }

  /**
   * Whether any limit is set.
   *
   * @return {@code true} if logins are limited at all
   */
  public boolean isLimited() {
    return maxPerUser != 0 || maxPerDeviceType != 0;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LoginPolicy p
        && maxPerUser == p.maxPerUser
        && maxPerDeviceType == p.maxPerDeviceType
        && onLimit == p.onLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxPerUser, maxPerDeviceType, onLimit);
  }

  @Override
  public String toString() {
    return "LoginPolicy{maxPerUser="
        + (maxPerUser == 0 ? "unlimited" : maxPerUser)
        + ", maxPerDeviceType="
        + (maxPerDeviceType == 0 ? "unlimited" : maxPerDeviceType)
        + ", onLimit="
        + onLimit
        + '}';
  }

  /** Builds a {@link LoginPolicy}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int maxPerUser = DEFAULT_MAX_SESSIONS_PER_USER;
    private int maxPerDeviceType;
    private OnLimit onLimit = DEFAULT_ON_LIMIT;

    private Builder() {}

    /**
     * Sets the per-user limit.
     *
     * @param max 1 to {@value LoginPolicy#MAX_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of that range
     */
    public Builder maxSessionsPerUser(int max) {
      this.maxPerUser = atLeastOne("maxSessionsPerUser", max);
      return this;
    }

    /**
     * Removes the per-user limit (see the class comment for what that costs).
     *
     * @return this builder
     */
    public Builder unlimitedSessionsPerUser() {
      this.maxPerUser = 0;
      return this;
    }

    /**
     * Sets the per-device-type limit.
     *
     * @param max 1 to {@value LoginPolicy#MAX_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of that range
     */
    public Builder maxSessionsPerDeviceType(int max) {
      this.maxPerDeviceType = atLeastOne("maxSessionsPerDeviceType", max);
      return this;
    }

    /**
     * Removes the per-device-type limit.
     *
     * @return this builder
     */
    public Builder unlimitedSessionsPerDeviceType() {
      this.maxPerDeviceType = 0;
      return this;
    }

    /**
     * Sets what a login beyond a limit does.
     *
     * @param onLimit the action
     * @return this builder
     */
    public Builder onLimit(OnLimit onLimit) {
      this.onLimit = Objects.requireNonNull(onLimit, "onLimit");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public LoginPolicy build() {
      return new LoginPolicy(this);
    }

    private static int atLeastOne(String name, int max) {
      if (max < 1 || max > MAX_LIMIT) {
        throw new IllegalArgumentException(
            name + " must be between 1 and " + MAX_LIMIT + ", was " + max);
      }
      return max;
    }
  }
}
