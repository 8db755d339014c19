package io.sessionkit.redis;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link NearCache} behaves: how long an entry may be served at most, how many entries it
 * holds, and the channel its invalidations travel on.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * NearCacheOptions options = NearCacheOptions.builder().maxAge(Duration.ofMillis(500)).build();
 * }</pre>
 */
public final class NearCacheOptions {
  /** How long an entry is served at most after it was read from Redis: 1 second. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

  /** The longest {@link Builder#maxAge(Duration) maxAge} accepted: 1 minute. */
  public static final Duration MAX_MAX_AGE = Duration.ofMinutes(1);

  /** How many sessions the cache holds at most: 100,000. */
  public static final int DEFAULT_MAXIMUM_SESSIONS = 100_000;

  /** How many token answers the cache holds at most: 100,000. */
  public static final int DEFAULT_MAXIMUM_TOKENS = 100_000;

  /** The channel name, after the key prefix: {@value}. */
  public static final String DEFAULT_CHANNEL_SUFFIX = "near-cache";

  private static final NearCacheOptions DEFAULTS = builder().build();

  private final Duration maxAge;
  private final int maximumSessions;
  private final int maximumTokens;
  private final @Nullable String channel;

  private NearCacheOptions(Builder b) {
    this.maxAge = b.maxAge;
    this.maximumSessions = b.maximumSessions;
    this.maximumTokens = b.maximumTokens;
    this.channel = b.channel;
  }

  /**
   * @return the defaults: see each constant
   */
  public static NearCacheOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @return a new builder starting from the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a new builder holding these options
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAge = maxAge;
    b.maximumSessions = maximumSessions;
    b.maximumTokens = maximumTokens;
    b.channel = channel;
    return b;
  }

  /**
   * The staleness bound when an invalidation is lost: no entry is served longer than this after it
   * was read from Redis.
   *
   * @return the longest time an entry is served
   */
  public Duration maxAge() {
    return maxAge;
  }

  /**
   * @return how many sessions the cache holds at most
   */
  public int maximumSessions() {
    return maximumSessions;
  }

  /**
   * @return how many token answers the cache holds at most
   */
  public int maximumTokens() {
    return maximumTokens;
  }

  /**
   * @return the pub/sub channel, or null for the connector's key prefix followed by {@value
   *     #DEFAULT_CHANNEL_SUFFIX}
   */
  public @Nullable String channel() {
    return channel;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof NearCacheOptions n
        && maxAge.equals(n.maxAge)
        && maximumSessions == n.maximumSessions
        && maximumTokens == n.maximumTokens
        && Objects.equals(channel, n.channel);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAge, maximumSessions, maximumTokens, channel);
  }

  @Override
  public String toString() {
    return "NearCacheOptions{maxAge="
        + maxAge
        + ", maximumSessions="
        + maximumSessions
        + ", maximumTokens="
        + maximumTokens
        + ", channel="
        + channel
        + '}';
  }

  /** Builds {@link NearCacheOptions}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private Duration maxAge = DEFAULT_MAX_AGE;
    private int maximumSessions = DEFAULT_MAXIMUM_SESSIONS;
    private int maximumTokens = DEFAULT_MAXIMUM_TOKENS;
    private @Nullable String channel;

    private Builder() {}

    /**
     * @param maxAge how long an entry is served at most (default {@link #DEFAULT_MAX_AGE}): the
     *     staleness bound if an invalidation is lost; at least 1 ms, at most {@link #MAX_MAX_AGE}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.compareTo(Duration.ofMillis(1)) < 0 || maxAge.compareTo(MAX_MAX_AGE) > 0) {
        throw new IllegalArgumentException(
            "maxAge must be between 1 ms and " + MAX_MAX_AGE + ", was " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * @param maximumSessions how many sessions to hold at most (default {@value
     *     #DEFAULT_MAXIMUM_SESSIONS}); zero caches no session
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maximumSessions(int maximumSessions) {
      if (maximumSessions < 0) {
        throw new IllegalArgumentException("maximumSessions must be >= 0, was " + maximumSessions);
      }
      this.maximumSessions = maximumSessions;
      return this;
    }

    /**
     * @param maximumTokens how many token answers to hold at most (default {@value
     *     #DEFAULT_MAXIMUM_TOKENS}); zero caches no token
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maximumTokens(int maximumTokens) {
      if (maximumTokens < 0) {
        throw new IllegalArgumentException("maximumTokens must be >= 0, was " + maximumTokens);
      }
      this.maximumTokens = maximumTokens;
      return this;
    }

    /**
     * @param channel the pub/sub channel every server of the application uses, 1 to 256 characters
     *     with no whitespace or control characters, or null for the default
     * @return this builder
     * @throws IllegalArgumentException if malformed
     */
    public Builder channel(@Nullable String channel) {
      if (channel != null) {
        if (channel.isEmpty() || channel.length() > 256) {
          throw new IllegalArgumentException(
              "channel must be 1 to 256 characters, was " + channel.length());
        }
        for (int i = 0; i < channel.length(); i++) {
          char c = channel.charAt(i);
          if (Character.isWhitespace(c) || Character.isISOControl(c)) {
            throw new IllegalArgumentException(
                "channel holds whitespace or a control character at index " + i);
          }
        }
      }
      this.channel = channel;
      return this;
    }

    /**
     * @return the options
     */
    public NearCacheOptions build() {
      return new NearCacheOptions(this);
    }
  }
}
