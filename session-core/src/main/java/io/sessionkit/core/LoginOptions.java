package io.sessionkit.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link SessionStore#login(String, String, LoginOptions) login}: device metadata (whose
 * device type the per-device-type limit counts), a timeouts override ("remember me"), and whether
 * the anonymous session's attributes carry over.
 *
 * <p>Immutable and thread-safe.
 */
public final class LoginOptions {
  private static final LoginOptions DEFAULTS = builder().build();

  private final SessionMetadata metadata;
  private final @Nullable Timeouts timeouts;
  private final boolean keepAttributes;

  private LoginOptions(Builder b) {
    this.metadata = b.metadata;
    this.timeouts = b.timeouts;
    this.keepAttributes = b.keepAttributes;
  }

  /**
   * The defaults: no metadata, the policy's timeouts, attributes kept.
   *
   * @return the default options
   */
  public static LoginOptions defaults() {
    return DEFAULTS;
  }

  /** @return a new builder starting from the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a new builder holding these options */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.metadata = metadata;
    b.timeouts = timeouts;
    b.keepAttributes = keepAttributes;
    return b;
  }

  /** @return the metadata of the new session */
  public SessionMetadata metadata() {
    return metadata;
  }

  /** @return the timeouts override of the new session, if any */
  public Optional<Timeouts> timeouts() {
    return Optional.ofNullable(timeouts);
  }

  /** @return whether the attributes of the current session carry over to the new one */
  public boolean keepAttributes() {
    return keepAttributes;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LoginOptions l
        && metadata.equals(l.metadata)
        && Objects.equals(timeouts, l.timeouts)
        && keepAttributes == l.keepAttributes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(metadata, timeouts, keepAttributes);
  }

  @Override
  public String toString() {
    return "LoginOptions{" + metadata + ", timeouts=" + timeouts + ", keepAttributes=" + keepAttributes + '}';
  }

  /** Builds {@link LoginOptions}. Not thread-safe. */
  public static final class Builder {
    private SessionMetadata metadata = SessionMetadata.empty();
    private @Nullable Timeouts timeouts;
    private boolean keepAttributes = true;

    private Builder() {}

    /**
     * @param metadata device metadata of the new session
     * @return this builder
     */
    public Builder metadata(SessionMetadata metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    /**
     * @param timeouts timeouts of the new session instead of the policy's, or null for the policy's
     * @return this builder
     */
    public Builder timeouts(@Nullable Timeouts timeouts) {
      this.timeouts = timeouts;
      return this;
    }

    /**
     * @param keepAttributes whether the current session's attributes carry over (default true)
     * @return this builder
     */
    public Builder keepAttributes(boolean keepAttributes) {
      this.keepAttributes = keepAttributes;
      return this;
    }

    /** @return the options */
    public LoginOptions build() {
      return new LoginOptions(this);
    }
  }
}
