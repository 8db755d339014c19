package io.sessionkit.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link SessionStore#login(String, String, LoginOptions) login}: device metadata
 * (whose device type the per-device-type limit counts), a timeouts override ("remember me"), and
 * whether the current session's attributes carry over ({@link CarryOver}: none by default, all, or
 * a list of names; never from another user's session).
 *
 * <p>Immutable and thread-safe.
 */
public final class LoginOptions {
  private static final LoginOptions DEFAULTS = builder().build();

  private final SessionMetadata metadata;
  private final @Nullable Timeouts timeouts;
  private final CarryOver carryOver;
  private final Set<String> carriedNames;

  private LoginOptions(Builder b) {
    this.metadata = b.metadata;
    this.timeouts = b.timeouts;
    this.carryOver = b.carryOver;
    this.carriedNames = b.carryOver == CarryOver.LISTED ? Set.copyOf(b.carriedNames) : Set.of();
  }

  /**
   * The defaults: no metadata, the policy's timeouts, no attribute carried over ({@link
   * CarryOver#NONE}; see {@link CarryOver} for why).
   *
   * @return the default options
   */
  public static LoginOptions defaults() {
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
    b.metadata = metadata;
    b.timeouts = timeouts;
    b.carryOver = carryOver;
    b.carriedNames.addAll(carriedNames);
    return b;
  }

  /**
   * @return the metadata of the new session
   */
  public SessionMetadata metadata() {
    return metadata;
  }

  /**
   * @return the timeouts override of the new session, if any
   */
  public Optional<Timeouts> timeouts() {
    return Optional.ofNullable(timeouts);
  }

  /**
   * @return which attributes of the current session carry over (never from another user's session)
   */
  public CarryOver carryOver() {
    return carryOver;
  }

  /**
   * @return the names carried over under {@link CarryOver#LISTED}; empty otherwise
   */
  public Set<String> carriedNames() {
    return carriedNames;
  }

  /**
   * Whether an attribute of the current session is copied, when the current session may give any.
   *
   * @param name an attribute name
   * @return {@code true} under {@link CarryOver#ALL}, or under {@link CarryOver#LISTED} if named
   */
  public boolean carries(String name) {
    return carryOver == CarryOver.ALL
        || (carryOver == CarryOver.LISTED && carriedNames.contains(name));
  }

  /**
   * Whether any attribute may carry over.
   *
   * @return {@code false} only under {@link CarryOver#NONE}
   */
  public boolean keepAttributes() {
    return carryOver != CarryOver.NONE;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LoginOptions l
        && metadata.equals(l.metadata)
        && Objects.equals(timeouts, l.timeouts)
        && carryOver == l.carryOver
        && carriedNames.equals(l.carriedNames);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metadata, timeouts, carryOver, carriedNames);
  }

  @Override
  public String toString() {
    return "LoginOptions{"
        + metadata
        + ", timeouts="
        + timeouts
        + ", carryOver="
        + carryOver
        + (carryOver == CarryOver.LISTED ? carriedNames.toString() : "")
        + '}';
  }

  /** Builds {@link LoginOptions}. Not thread-safe. */
  public static final class Builder {
    private SessionMetadata metadata = SessionMetadata.empty();
    private @Nullable Timeouts timeouts;
    private CarryOver carryOver = CarryOver.NONE;
    private final Set<String> carriedNames = new LinkedHashSet<>();

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
     * Carries every attribute over, or none.
     *
     * @param keepAttributes {@code true} for {@link CarryOver#ALL}, {@code false} for {@link
     *     CarryOver#NONE} (the default)
     * @return this builder
     */
    public Builder keepAttributes(boolean keepAttributes) {
      return carryOver(keepAttributes ? CarryOver.ALL : CarryOver.NONE);
    }

    /**
     * @param carryOver {@link CarryOver#NONE} (the default) or {@link CarryOver#ALL}; for {@link
     *     CarryOver#LISTED} use {@link #carryOnly(String...)}
     * @return this builder
     * @throws IllegalArgumentException for {@link CarryOver#LISTED}, which needs the names
     */
    public Builder carryOver(CarryOver carryOver) {
      Objects.requireNonNull(carryOver, "carryOver");
      if (carryOver == CarryOver.LISTED) {
        throw new IllegalArgumentException(
            "carryOver LISTED needs the names: use carryOnly(names)");
      }
      this.carryOver = carryOver;
      this.carriedNames.clear();
      return this;
    }

    /**
     * Carries over only the named attributes ({@link CarryOver#LISTED}).
     *
     * @param names attribute names, none null or empty; none at all means nothing carries over
     * @return this builder
     * @throws IllegalArgumentException if a name is empty
     */
    public Builder carryOnly(String... names) {
      return carryOnly(Arrays.asList(names));
    }

    /**
     * Carries over only the named attributes ({@link CarryOver#LISTED}).
     *
     * @param names attribute names, none null or empty
     * @return this builder
     * @throws IllegalArgumentException if a name is empty
     */
    public Builder carryOnly(Collection<String> names) {
      Set<String> checked = new LinkedHashSet<>();
      for (String n : names) {
        Objects.requireNonNull(n, "attribute name");
        if (n.isEmpty()) {
          throw new IllegalArgumentException("a carried attribute name must not be empty");
        }
        checked.add(n);
      }
      this.carryOver = CarryOver.LISTED;
      this.carriedNames.clear();
      this.carriedNames.addAll(checked);
      return this;
    }

    /**
     * @return the options
     */
    public LoginOptions build() {
      return new LoginOptions(this);
    }
  }
}
