package io.sessionkit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How long sessions live: the default {@link Timeouts} and the touch interval.
 *
 * <p><b>Touch coalescing.</b> A request that counts as activity does not need to write {@code
 * lastAccessedAt} every time: a store writes it only when the stored value is older than the
 * <em>effective touch interval</em>, {@code min(touchInterval, idle / 10)}. So read-only traffic
 * costs no writes most of the time, and a session's sliding expiry is never earlier than the exact
 * one by more than the effective touch interval. The absolute timeout is unaffected.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}, or use a factory.
 *
 * <pre>{@code
 * TtlPolicy policy = TtlPolicy.builder()
 *     .idleTimeout(Duration.ofMinutes(30))
 *     .absoluteTimeout(Duration.ofHours(12))
 *     .build();
 * }</pre>
 */
public final class TtlPolicy {
  /** The default idle timeout: 30 minutes. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

  /** The default absolute timeout: 12 hours. */
  public static final Duration DEFAULT_ABSOLUTE_TIMEOUT = Duration.ofHours(12);

  /** The default touch interval: 60 seconds (further bounded by a tenth of the idle timeout). */
  public static final Duration DEFAULT_TOUCH_INTERVAL = Duration.ofSeconds(60);

  private static final TtlPolicy DEFAULTS = builder().build();

  private final Timeouts timeouts;
  private final Duration touchInterval;

  private TtlPolicy(Builder b) {
    this.timeouts = Timeouts.of(b.idle, b.absolute);
    this.touchInterval = b.touchInterval;
  }

  /**
   * The defaults: idle 30 minutes, absolute 12 hours, touch interval 60 s.
   *
   * @return the default policy
   */
  public static TtlPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Sessions with only an idle timeout.
   *
   * @param idle the idle timeout
   * @return the policy
   */
  public static TtlPolicy idle(Duration idle) {
    return builder().idleTimeout(idle).absoluteTimeout(null).build();
  }

  /**
   * Sessions with only an absolute timeout.
   *
   * @param absolute the maximum lifetime
   * @return the policy
   */
  public static TtlPolicy absolute(Duration absolute) {
    return builder().idleTimeout(null).absoluteTimeout(absolute).build();
  }

  /**
   * Sessions with both timeouts.
   *
   * @param idle the idle timeout
   * @param absolute the maximum lifetime
   * @return the policy
   */
  public static TtlPolicy idleAndAbsolute(Duration idle, Duration absolute) {
    return builder().idleTimeout(idle).absoluteTimeout(absolute).build();
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
   * A builder starting from this policy.
   *
   * @return a new builder holding this policy's values
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.idle = timeouts.idle().orElse(null);
    b.absolute = timeouts.absolute().orElse(null);
    b.touchInterval = touchInterval;
    return b;
  }

  /**
   * The timeouts of a session that has no override.
   *
   * @return the default timeouts
   */
  public Timeouts timeouts() {
    return timeouts;
  }

  /**
   * The configured touch interval.
   *
   * @return the touch interval; zero means every access that counts writes
   */
  public Duration touchInterval() {
    return touchInterval;
  }

  /**
   * Whether an access at {@code now} that counts as activity must write {@code lastAccessedAt}:
   * touch coalescing, the same in every store and cache.
   *
   * @param sessionTimeouts the session's timeouts (this policy's or its override)
   * @param lastAccessedAt the stored last access time
   * @param now the current time
   * @return {@code true} if {@code now - lastAccessedAt >= effectiveTouchInterval(sessionTimeouts)}
   */
  public boolean isTouchDue(Timeouts sessionTimeouts, Instant lastAccessedAt, Instant now) {
    return !now.isBefore(lastAccessedAt.plus(effectiveTouchInterval(sessionTimeouts)));
  }

  /**
   * The touch interval in effect for a session with the given timeouts.
   *
   * @param sessionTimeouts the session's timeouts
   * @return {@code min(touchInterval, idle / 10)}, or the touch interval if there is no idle
   *     timeout
   */
  public Duration effectiveTouchInterval(Timeouts sessionTimeouts) {
    return sessionTimeouts
        .idle()
        .map(idle -> idle.dividedBy(10))
        .filter(tenth -> tenth.compareTo(touchInterval) < 0)
        .orElse(touchInterval);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TtlPolicy p
        && timeouts.equals(p.timeouts)
        && touchInterval.equals(p.touchInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeouts, touchInterval);
  }

  @Override
  public String toString() {
    return "TtlPolicy{" + timeouts + ", touchInterval=" + touchInterval + '}';
  }

  /** Builds a {@link TtlPolicy}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private @Nullable Duration idle = DEFAULT_IDLE_TIMEOUT;
    private @Nullable Duration absolute = DEFAULT_ABSOLUTE_TIMEOUT;
    private Duration touchInterval = DEFAULT_TOUCH_INTERVAL;

    private Builder() {}

    /**
     * Sets the idle timeout.
     *
     * @param idle a positive duration, or {@code null} for no idle timeout
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder idleTimeout(@Nullable Duration idle) {
      this.idle = idle == null ? null : positive("idleTimeout", idle);
      return this;
    }

    /**
     * Sets the absolute timeout.
     *
     * @param absolute a positive duration, or {@code null} for no absolute timeout
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder absoluteTimeout(@Nullable Duration absolute) {
      this.absolute = absolute == null ? null : positive("absoluteTimeout", absolute);
      return this;
    }

    /**
     * Sets the touch interval.
     *
     * @param touchInterval zero (touch on every access that counts) or positive
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder touchInterval(Duration touchInterval) {
      Objects.requireNonNull(touchInterval, "touchInterval");
      if (touchInterval.isNegative()) {
        throw new IllegalArgumentException(
            "touchInterval must not be negative, was " + touchInterval);
      }
      this.touchInterval = touchInterval;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException if neither timeout is set
     */
    public TtlPolicy build() {
      return new TtlPolicy(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
