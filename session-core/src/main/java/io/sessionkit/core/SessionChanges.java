package io.sessionkit.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A set of changes to one session: attributes to set or remove, and optionally new timeouts or
 * metadata. Applied atomically by {@link SessionStore#update(String, SessionChanges)}, and used as
 * the initial state by {@link SessionStore#create(SessionChanges)}.
 *
 * <p>Only the named attributes change, so concurrent updates of different attributes of one session
 * all land. Within one builder the last call for a name wins.
 *
 * <p>A caller that already encoded a value with the store's codec (the servlet layer does, to fail
 * at {@code setAttribute}) hands that encoding over with {@link Builder#setEncoded}, and the store
 * writes it instead of encoding the value again.
 *
 * <p>Immutable and thread-safe once built.
 *
 * <pre>{@code
 * store.update(id, SessionChanges.builder().set("cart", cart).remove("coupon").build());
 * }</pre>
 */
public final class SessionChanges {
  /** The maximum length of an attribute name, in characters. */
  public static final int MAX_NAME_LENGTH = 512;

  private static final SessionChanges NONE = builder().build();

  private final Map<String, Object> sets;
  private final Map<String, String> encodings;
  private final Set<String> removals;
  private final @Nullable Timeouts timeouts;
  private final @Nullable SessionMetadata metadata;

  private SessionChanges(Builder b) {
    this.sets = Collections.unmodifiableMap(new LinkedHashMap<>(b.sets));
    this.encodings =
        b.encodings.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(b.encodings));
    this.removals = Collections.unmodifiableSet(new LinkedHashSet<>(b.removals));
    this.timeouts = b.timeouts;
    this.metadata = b.metadata;
  }

  /**
   * No changes.
   *
   * @return the empty change set
   */
  public static SessionChanges none() {
    return NONE;
  }

  /**
   * A builder.
   *
   * @return a new, empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return attributes to set, name to value, unmodifiable
   */
  public Map<String, Object> sets() {
    return sets;
  }

  /**
   * The encodings given with {@link Builder#setEncoded}: for each of these attributes the store
   * writes the encoding as given, checked as an encoding by its codec would be, and does not call
   * its codec. The other attributes of {@link #sets()} are encoded by the store.
   *
   * @return attribute names to their given encodings, a subset of {@link #sets()}'s names,
   *     unmodifiable
   */
  public Map<String, String> encodings() {
    return encodings;
  }

  /**
   * @return attributes to remove, unmodifiable
   */
  public Set<String> removals() {
    return removals;
  }

  /**
   * @return new timeouts for the session, if any
   */
  public Optional<Timeouts> timeouts() {
    return Optional.ofNullable(timeouts);
  }

  /**
   * @return new metadata for the session, if any
   */
  public Optional<SessionMetadata> metadata() {
    return Optional.ofNullable(metadata);
  }

  /**
   * @return whether there is nothing to change
   */
  public boolean isEmpty() {
    return sets.isEmpty() && removals.isEmpty() && timeouts == null && metadata == null;
  }

  @Override
  public String toString() {
    return "SessionChanges{set="
        + sets.keySet()
        + ", remove="
        + removals
        + ", timeouts="
        + timeouts
        + ", metadata="
        + (metadata != null)
        + '}';
  }

  /** Builds {@link SessionChanges}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Object> sets = new LinkedHashMap<>();
    private final Map<String, String> encodings = new LinkedHashMap<>();
    private final Set<String> removals = new LinkedHashSet<>();
    private @Nullable Timeouts timeouts;
    private @Nullable SessionMetadata metadata;

    private Builder() {}

    /**
     * Sets an attribute. The value is encoded when the changes are applied; a value that cannot be
     * encoded fails then with an {@link AttributeEncodingException} naming the attribute. Drops an
     * encoding given earlier for this name with {@link #setEncoded}.
     *
     * @param name 1 to {@value #MAX_NAME_LENGTH} characters, no control characters, no unpaired
     *     surrogates
     * @param value the value, not null (use {@link #remove(String)})
     * @return this builder
     * @throws IllegalArgumentException if the name is malformed
     */
    public Builder set(String name, Object value) {
      checkName(name);
      Objects.requireNonNull(value, "value (use remove() to remove an attribute)");
      removals.remove(name);
      encodings.remove(name);
      sets.put(name, value);
      return this;
    }

    /**
     * Sets an attribute together with its encoding, for callers that already encoded the value with
     * the store's codec (for instance to fail early, naming the attribute): the store writes {@code
     * encoded} as given and does not encode {@code value} again. The store still refuses an
     * encoding that is not valid Unicode ({@link AttributeEncodingException}) and counts it against
     * {@link SessionConfig#maxSessionBytes()}.
     *
     * <p>{@code encoded} must be what the store's {@link SessionConfig#codec()} returns for {@code
     * value} under this name: the store cannot tell, and a session read later decodes what was
     * written, not {@code value}.
     *
     * @param name as for {@link #set(String, Object)}
     * @param value the value, not null
     * @param encoded the value encoded by the store's codec, not null
     * @return this builder
     * @throws IllegalArgumentException if the name is malformed
     */
    public Builder setEncoded(String name, Object value, String encoded) {
      checkName(name);
      Objects.requireNonNull(value, "value (use remove() to remove an attribute)");
      Objects.requireNonNull(encoded, "encoded");
      removals.remove(name);
      sets.put(name, value);
      encodings.put(name, encoded);
      return this;
    }

    /**
     * Removes an attribute; removing an absent attribute is not an error.
     *
     * @param name the attribute name
     * @return this builder
     * @throws IllegalArgumentException if the name is malformed
     */
    public Builder remove(String name) {
      checkName(name);
      sets.remove(name);
      encodings.remove(name);
      removals.add(name);
      return this;
    }

    /**
     * Overrides the session's timeouts ("remember me", {@code setMaxInactiveInterval}).
     *
     * @param timeouts the new timeouts; the expiry is recomputed from the session's creation and
     *     last access times
     * @return this builder
     */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /**
     * Replaces the session's device metadata.
     *
     * @param metadata the new metadata
     * @return this builder
     */
    public Builder metadata(SessionMetadata metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    /**
     * @return whether nothing has been added yet
     */
    public boolean isEmpty() {
      return sets.isEmpty() && removals.isEmpty() && timeouts == null && metadata == null;
    }

    /**
     * Builds the changes.
     *
     * @return the changes
     */
    public SessionChanges build() {
      return new SessionChanges(this);
    }

    private static void checkName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
        throw new IllegalArgumentException(
            "attribute name must be 1 to " + MAX_NAME_LENGTH + " characters, was " + name.length());
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (Character.isISOControl(c)) {
          throw new IllegalArgumentException(
              "attribute name holds a control character at index " + i);
        }
        // An unpaired surrogate is not Unicode: a UTF-8 store would keep '?' and the name would
        // change.
        if (Character.isHighSurrogate(c)
            && i + 1 < name.length()
            && Character.isLowSurrogate(name.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw new IllegalArgumentException(
              "attribute name holds an unpaired surrogate at index " + i);
        }
      }
    }
  }
}
