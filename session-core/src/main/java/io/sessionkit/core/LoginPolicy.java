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

  private static final LoginPolicy UNLIMITED = builder().build();

  private final int maxPerUser;
  private final int maxPerDeviceType;
  private final OnLimit onLimit;

  private LoginPolicy(Builder b) {
    this.maxPerUser = b.maxPerUser;
    this.maxPerDeviceType = b.maxPerDeviceType;
    this.onLimit = b.onLimit;
  }

  /**
   * No limit: the default.
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
   * A builder starting from no limit.
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
    return "LoginPolicy{maxPerUser=" + (maxPerUser == 0 ? "unlimited" : maxPerUser)
        + ", maxPerDeviceType=" + (maxPerDeviceType == 0 ? "unlimited" : maxPerDeviceType)
        + ", onLimit=" + onLimit + '}';
  }

  /** Builds a {@link LoginPolicy}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int maxPerUser;
    private int maxPerDeviceType;
    private OnLimit onLimit = DEFAULT_ON_LIMIT;

    private Builder() {}

    /**
     * Sets the per-user limit.
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code max < 1}
     */
    public Builder maxSessionsPerUser(int max) {
      this.maxPerUser = atLeastOne("maxSessionsPerUser", max);
      return this;
    }

    /**
     * Removes the per-user limit.
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
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code max < 1}
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
      if (max < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + max);
      }
      return max;
    }
  }
}
