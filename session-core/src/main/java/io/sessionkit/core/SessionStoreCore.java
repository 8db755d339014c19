package io.sessionkit.core;

import io.sessionkit.core.internal.SessionSize;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The behaviour every {@link SessionStore} shares whatever its backend, written once: a store holds
 * one and calls it at its entry points, so that the in-memory store, the Redis store and any
 * third-party store check, encode, retry and report alike. What a backend must do atomically (the
 * locks of the in-memory store, the scripts of the Redis store) stays in the store.
 *
 * <ul>
 *   <li><b>Open and closed.</b> After {@link #close()} every call of the store, whatever its
 *       arguments, throws {@link IllegalStateException} ({@link #ensureOpen()}, also done by {@link
 *       #acceptId} and {@link #checkUserId}); {@code close()} itself stays idempotent.
 *   <li><b>Input.</b> A malformed id is refused before any I/O and reported to {@link
 *       SessionListener#invalidIdPresented} ({@link #acceptId}); a user id of the wrong length is
 *       an {@link IllegalArgumentException} ({@link #checkUserId}).
 *   <li><b>Encoding.</b> {@link #encode(SessionChanges)} runs the configured {@link AttributeCodec}
 *       once per set attribute, except where the changes carry an encoding given with {@link
 *       SessionChanges.Builder#setEncoded}, which it takes as given; it turns anything a codec
 *       throws other than {@link AttributeEncodingException} into one naming the attribute, and
 *       refuses an encoding, computed or given, that is not valid Unicode. {@link #checkSize}
 *       applies {@link SessionConfig#maxSessionBytes()}, counted by {@link #sizeOf(Map)}.
 *   <li><b>Id collisions.</b> A store that finds a freshly drawn id in use draws again, at most
 *       {@value #MAX_ID_DRAWS} ids in all, then throws {@link #idsExhausted()} (a {@link
 *       SessionException}): only a broken random source gets there.
 *   <li><b>Events.</b> {@link #events()} delivers to the configured listeners and the audit log,
 *       swallowing a listener's exception. A login reports {@code sessionCreated} for its new
 *       session and, when it retired a live current session, {@code sessionIdChanged} from that
 *       session's handle ({@link #loginAccepted}).
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class SessionStoreCore {
  /**
   * How many ids a create, renewId or login draws before it concludes the random source is broken:
   * {@value}.
   */
  public static final int MAX_ID_DRAWS = 16;

  private final SessionConfig config;
  private final SessionIdGenerator ids;
  private final AttributeCodec codec;
  private final SessionListeners events;
  private final AtomicBoolean open = new AtomicBoolean(true);

  private SessionStoreCore(SessionConfig config) {
    this.config = config;
    this.ids = config.idGenerator();
    this.codec = config.codec();
    this.events = SessionListeners.of(config);
  }

  /**
   * The core of a store built with a configuration.
   *
   * @param config the store's configuration
   * @return a new core, open
   */
  public static SessionStoreCore of(SessionConfig config) {
    return new SessionStoreCore(Objects.requireNonNull(config, "config"));
  }

  /**
   * @return the configuration
   */
  public SessionConfig config() {
    return config;
  }

  /**
   * The listeners of the configuration, plus the audit log when it is on, as one listener: each is
   * called in turn on the calling thread, and an exception from one is logged and swallowed. Call
   * it after the operation took effect and after releasing any lock.
   *
   * @return the dispatcher
   */
  public SessionListener events() {
    return events;
  }

  // ---------------------------------------------------------------------------------------------
  // open / closed

  /**
   * Refuses calls once the store is closed.
   *
   * @throws IllegalStateException if {@link #close()} was called
   */
  public void ensureOpen() {
    if (!open.get()) {
      throw new IllegalStateException("the session store is closed");
    }
  }

  /**
   * @return whether {@link #close()} has not been called yet
   */
  public boolean isOpen() {
    return open.get();
  }

  /**
   * Marks the store closed.
   *
   * @return {@code true} for the one call that closed it, so that the store releases its resources
   *     once
   */
  public boolean close() {
    return open.compareAndSet(true, false);
  }

  // ---------------------------------------------------------------------------------------------
  // input

  /**
   * Checks that the store is open and that an id is well formed, reporting a malformed one.
   *
   * @param id the id a client presented, may be null
   * @param source the operation, for {@link SessionListener#invalidIdPresented}
   * @return whether the id may go to the backend
   * @throws IllegalStateException if the store is closed
   */
  public boolean acceptId(@Nullable String id, String source) {
    ensureOpen();
    if (id == null || !ids.isWellFormed(id)) {
      events.invalidIdPresented(source);
      return false;
    }
    return true;
  }

  /**
   * Checks a user id, then that the store is open.
   *
   * @param userId the user id
   * @throws IllegalArgumentException if it is empty or longer than 256 characters
   * @throws NullPointerException if it is null
   * @throws IllegalStateException if the store is closed
   */
  public void checkUserId(String userId) {
    UserIds.requireValid(userId);
    ensureOpen();
  }

  // ---------------------------------------------------------------------------------------------
  // encoding and size

  /**
   * Encodes the attributes a change sets: with the configured codec, each value once, except those
   * whose encoding the changes carry ({@link SessionChanges#encodings()}), which are checked and
   * taken as given without calling the codec.
   *
   * @param changes the changes
   * @return names to encoded values, in the order of {@link SessionChanges#sets()}, unmodifiable
   * @throws AttributeEncodingException if a value cannot be encoded, whatever the codec threw, or a
   *     given encoding is not valid Unicode
   */
  public Map<String, String> encode(SessionChanges changes) {
    Map<String, Object> sets = changes.sets();
    if (sets.isEmpty()) {
      return Map.of();
    }
    Map<String, String> given = changes.encodings();
    Map<String, String> encoded = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : sets.entrySet()) {
      String name = e.getKey();
      String g = given.get(name);
      encoded.put(
          name,
          g == null
              ? encode(name, e.getValue())
              : checked(name, e.getValue(), g, "the given encoding is"));
    }
    return Collections.unmodifiableMap(encoded);
  }

  /**
   * Encodes one attribute value with the configured codec.
   *
   * @param name the attribute name
   * @param value the value
   * @return the encoded value
   * @throws AttributeEncodingException if it cannot be encoded, whatever the codec threw
   */
  public String encode(String name, Object value) {
    return encodeWith(codec, name, value);
  }

  /**
   * Encodes one attribute value as every store does, for code that encodes ahead of the store and
   * hands the result over with {@link SessionChanges.Builder#setEncoded} (the servlet layer, so
   * that a value the codec refuses fails at {@code setAttribute}): anything the codec throws other
   * than {@link AttributeEncodingException} becomes one naming the attribute, and an encoding that
   * is null or not valid Unicode is refused.
   *
   * @param codec the store's codec ({@link SessionConfig#codec()})
   * @param name the attribute name
   * @param value the value
   * @return the encoded value
   * @throws AttributeEncodingException if it cannot be encoded, whatever the codec threw
   */
  public static String encodeWith(AttributeCodec codec, String name, Object value) {
    String encoded;
    try {
      encoded = codec.encode(name, value);
    } catch (AttributeEncodingException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // A third-party codec broke its contract; still fail as documented, naming the attribute.
      throw AttributeEncodingException.of(
          name,
          value.getClass(),
          "could not be encoded: the codec threw " + e.getClass().getName(),
          e);
    }
    return checked(name, value, encoded, "the codec returned");
  }

  private static String checked(
      String name, Object value, @Nullable String encoded, String source) {
    if (encoded == null || hasUnpairedSurrogate(encoded)) {
      throw AttributeEncodingException.of(
          name,
          value.getClass(),
          "could not be encoded: "
              + source
              + " "
              + (encoded == null ? "null" : "text that is not Unicode"),
          null);
    }
    return encoded;
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The size one attribute adds to its session: the UTF-8 bytes of its name and encoded value.
   *
   * @param name the attribute name
   * @param encodedValue its encoded value
   * @return the size in bytes
   */
  public static long sizeOf(String name, String encodedValue) {
    return SessionSize.of(name, encodedValue);
  }

  /**
   * The size of a set of encoded attributes, as {@link SessionConfig#maxSessionBytes()} counts it.
   *
   * @param encoded names to encoded values
   * @return the sum of {@link #sizeOf(String, String)}
   */
  public static long sizeOf(Map<String, String> encoded) {
    return SessionSize.of(encoded);
  }

  /**
   * Applies {@link SessionConfig#maxSessionBytes()}.
   *
   * @param size the size the session would have
   * @throws SessionTooLargeException if it is over the limit
   */
  public void checkSize(long size) {
    SessionSize.check(size, config.maxSessionBytes());
  }

  // ---------------------------------------------------------------------------------------------
  // ids

  /**
   * Fails once {@value #MAX_ID_DRAWS} ids were drawn and all were in use.
   *
   * @param draws how many ids this operation has drawn so far, all in use
   * @throws SessionException ({@link #idsExhausted()}) if that is {@value #MAX_ID_DRAWS} or more
   */
  public void checkIdDraws(int draws) {
    if (draws >= MAX_ID_DRAWS) {
      throw idsExhausted();
    }
  }

  /**
   * The failure of an operation whose {@value #MAX_ID_DRAWS} freshly drawn ids were all in use.
   *
   * @return the exception to throw
   */
  public SessionException idsExhausted() {
    return new SessionException(
        "drew "
            + MAX_ID_DRAWS
            + " session ids in a row that were all in use; the id "
            + "generator's random source is broken");
  }

  // ---------------------------------------------------------------------------------------------
  // events

  /**
   * Reports an accepted login: {@code sessionIdChanged} from the retired handle if the login
   * carried a live current session (the same session under a new id, so that sessions created minus
   * sessions ended stays the number of live ones), else {@code sessionCreated} for the new session.
   *
   * @param newHandle the new session's handle
   * @param userId the user
   * @param at when
   * @param retiredHandle the handle of the current session the login ended, or null
   */
  public void loginAccepted(
      String newHandle, String userId, Instant at, @Nullable String retiredHandle) {
    SessionEvent event = new SessionEvent(newHandle, userId, at);
    if (retiredHandle != null) {
      events.sessionIdChanged(event, retiredHandle);
    } else {
      events.sessionCreated(event);
    }
  }

  /**
   * The non-secret handle of a session id (see {@link Session#handle()}).
   *
   * @param id a well-formed session id
   * @return its handle
   */
  public static String handleOf(String id) {
    return Digests.handleOf(id);
  }

  @Override
  public String toString() {
    return "SessionStoreCore{open=" + open.get() + '}';
  }
}
