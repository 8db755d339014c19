package io.sessionkit.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one live session, as a store returned it.
 *
 * <p>The snapshot does not change when the session does; read it again with {@link
 * SessionStore#access(String)} to see later writes. Attributes are kept encoded and decoded on
 * first read, once per snapshot. {@link #id()} is the secret the client holds: never log it, never
 * put it in a URL; use {@link #handle()} to refer to the session anywhere else.
 *
 * <p>Immutable and thread-safe as a snapshot: its id, description and encoded attributes never
 * change. A decoded value is made once per snapshot and belongs to it: if it is mutable (a map or
 * list decoded from JSON), changing it in place changes neither the store nor any other snapshot,
 * and is saved only by writing it back. Every store call returns a new snapshot (a near cache too),
 * so no two requests share decoded values; share one snapshot between threads only if they do not
 * change its values.
 */
public final class Session {
  private final String id;
  private final SessionInfo info;
  private final Timeouts timeouts;
  private final Map<String, String> encoded;
  private final AttributeCodec codec;
  private final Map<String, Object> decoded = new ConcurrentHashMap<>();

  private Session(Builder b) {
    this.id = b.id;
    this.timeouts = Objects.requireNonNull(b.timeouts, "timeouts");
    Instant created = Objects.requireNonNull(b.createdAt, "createdAt");
    Instant last = b.lastAccessedAt == null ? created : b.lastAccessedAt;
    this.info =
        new SessionInfo(
            Digests.handleOf(id),
            b.userId,
            created,
            last,
            timeouts.expiresAt(created, last),
            b.authenticatedAt,
            b.metadata);
    this.encoded = Collections.unmodifiableMap(new LinkedHashMap<>(b.encoded));
    this.codec = b.codec;
  }

  /**
   * A builder for {@link SessionStore} implementations.
   *
   * @param id the session id
   * @param codec the codec that decodes the attributes
   * @return a new builder
   */
  public static Builder builder(String id, AttributeCodec codec) {
    return new Builder(id, codec);
  }

  /**
   * @return the secret id the client holds; never log it
   */
  public String id() {
    return id;
  }

  /**
   * @return the non-secret handle, a digest of the id
   */
  public String handle() {
    return info.handle();
  }

  /**
   * @return the user, empty for an anonymous session
   */
  public Optional<String> userId() {
    return info.userId();
  }

  /**
   * @return when the session was created
   */
  public Instant createdAt() {
    return info.createdAt();
  }

  /**
   * @return when the session was last touched (see {@link SessionInfo#lastAccessedAt()})
   */
  public Instant lastAccessedAt() {
    return info.lastAccessedAt();
  }

  /**
   * @return when the session expires unless touched again
   */
  public Instant expiresAt() {
    return info.expiresAt();
  }

  /**
   * @return the timeouts in force for this session (the policy's or its override)
   */
  public Timeouts timeouts() {
    return timeouts;
  }

  /**
   * @return the device metadata
   */
  public SessionMetadata metadata() {
    return info.metadata();
  }

  /**
   * @return the non-secret description of this session
   */
  public SessionInfo info() {
    return info;
  }

  /**
   * @return the names of the attributes, unmodifiable
   */
  public Set<String> attributeNames() {
    return encoded.keySet();
  }

  /**
   * The decoded value of an attribute.
   *
   * @param name the attribute name
   * @return the value, empty if the session has no such attribute
   * @throws AttributeDecodingException if the stored value cannot be decoded
   */
  public Optional<Object> attribute(String name) {
    String raw = encoded.get(name);
    if (raw == null) {
      return Optional.empty();
    }
    return Optional.of(decoded.computeIfAbsent(name, n -> codec.decode(n, raw)));
  }

  /**
   * The decoded value of an attribute, of an expected type.
   *
   * @param name the attribute name
   * @param type the expected type
   * @param <T> the expected type
   * @return the value, empty if the session has no such attribute
   * @throws ClassCastException if the value is of another type
   * @throws AttributeDecodingException if the stored value cannot be decoded
   */
  public <T> Optional<T> attribute(String name, Class<T> type) {
    return attribute(name).map(type::cast);
  }

  /**
   * The encoded attributes, as the store holds them; for stores, caches and adapters.
   *
   * @return attribute name to encoded value, unmodifiable
   */
  public Map<String, String> encodedAttributes() {
    return encoded;
  }

  @Override
  public String toString() {
    return "Session{handle="
        + info.handle()
        + ", userId="
        + info.userId().orElse(null)
        + ", attributes="
        + encoded.keySet()
        + '}';
  }

  /**
   * Builds a {@link Session} snapshot; for {@link SessionStore} implementations. Not thread-safe.
   */
  public static final class Builder {
    private final String id;
    private final AttributeCodec codec;
    private @Nullable String userId;
    private @Nullable Instant createdAt;
    private @Nullable Instant lastAccessedAt;
    private @Nullable Instant authenticatedAt;
    private @Nullable Timeouts timeouts;
    private SessionMetadata metadata = SessionMetadata.empty();
    private final Map<String, String> encoded = new LinkedHashMap<>();

    private Builder(String id, AttributeCodec codec) {
      this.id = Objects.requireNonNull(id, "id");
      this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * @param userId the user, or null for an anonymous session
     * @return this builder
     */
    public Builder userId(@Nullable String userId) {
      this.userId = userId;
      return this;
    }

    /**
     * @param createdAt when the session was created
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
      return this;
    }

    /**
     * @param lastAccessedAt when the session was last touched; defaults to the creation time
     * @return this builder
     */
    public Builder lastAccessedAt(Instant lastAccessedAt) {
      this.lastAccessedAt = Objects.requireNonNull(lastAccessedAt, "lastAccessedAt");
      return this;
    }

    /**
     * @param authenticatedAt when the user last logged in on this session, or null
     * @return this builder
     */
    public Builder authenticatedAt(@Nullable Instant authenticatedAt) {
      this.authenticatedAt = authenticatedAt;
      return this;
    }

    /**
     * @param timeouts the timeouts in force for the session
     * @return this builder
     */
    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /**
     * @param metadata the device metadata
     * @return this builder
     */
    public Builder metadata(SessionMetadata metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    /**
     * @param name an attribute name
     * @param encodedValue its encoded value
     * @return this builder
     */
    public Builder encodedAttribute(String name, String encodedValue) {
      encoded.put(
          Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(encodedValue, "encodedValue"));
      return this;
    }

    /**
     * @param attributes attribute names to encoded values
     * @return this builder
     */
    public Builder encodedAttributes(Map<String, String> attributes) {
      attributes.forEach(this::encodedAttribute);
      return this;
    }

    /**
     * Builds the snapshot.
     *
     * @return the session
     * @throws NullPointerException if the creation time or timeouts are missing
     */
    public Session build() {
      return new Session(this);
    }
  }
}
