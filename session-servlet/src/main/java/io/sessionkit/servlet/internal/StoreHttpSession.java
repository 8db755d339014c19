package io.sessionkit.servlet.internal;

import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.AttributeDecodingException;
import io.sessionkit.core.Digests;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionStoreCore;
import io.sessionkit.core.Timeouts;
import io.sessionkit.core.TtlPolicy;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HttpSession} an application sees: a view of one store session for the length of one
 * request, which records what the application changed so that the filter writes only that, once.
 *
 * <p>{@link #getId()} is the session's non-secret <em>handle</em>, not the secret id the client
 * holds: an application that logs or prints it leaks nothing that could be replayed as a login.
 *
 * <p><b>Encodings.</b> A value is encoded with the store's codec when it is set, so a value the
 * codec refuses fails at {@link #setAttribute} with an {@code AttributeEncodingException} naming
 * the attribute. A change is written only if its encoding differs from what the store holds, and it
 * goes to the store with that encoding ({@link SessionChanges.Builder#setEncoded}), which the store
 * writes without encoding again. How many times an attribute is encoded per request:
 *
 * <ul>
 *   <li>an immutable value set in the request (a {@code String}, a boxed primitive, {@code
 *       BigDecimal}, {@code BigInteger}, {@code UUID}, {@code Instant}, an enum, or a record whose
 *       components are all of such types): once, at {@code setAttribute}; that encoding is the one
 *       written;
 *   <li>a mutable value read in the request (a map, a list, a bean): once, at commit, so that a
 *       change made to it in place is saved (and written only if there was one);
 *   <li>a mutable value set in the request: twice, at {@code setAttribute} to fail early and at
 *       commit, because the application may change it after setting it (Tomcat and Spring Session
 *       save such changes too).
 * </ul>
 *
 * An immutable value only read is never encoded.
 *
 * <p>Thread-safe: every method locks the request's {@link SessionContext}.
 */
final class StoreHttpSession implements HttpSession {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHttpSession.class);

  /** Types whose values cannot change in place, so reading them never requires a re-encode. */
  private static final Set<Class<?>> IMMUTABLE =
      Set.of(
          String.class,
          Boolean.class,
          Integer.class,
          Long.class,
          Short.class,
          Byte.class,
          Double.class,
          Float.class,
          Character.class,
          BigDecimal.class,
          BigInteger.class,
          UUID.class,
          Instant.class);

  /**
   * Whether values of exactly this class cannot change in place: {@link #IMMUTABLE}, enums, and
   * records whose components are all of immutable types, at any depth. Computed once per class.
   */
  private static final ClassValue<Boolean> IMMUTABLE_TYPES =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return immutableType(type, new HashSet<>());
        }
      };

  private final SessionContext context;
  private final AttributeCodec codec;
  private final boolean isNew;
  private final Instant pendingCreatedAt;

  /** The store's snapshot; null until a pending session is created. */
  private @Nullable Session snapshot;

  /** Encoded values as the store holds them (after this request's writes). */
  private final Map<String, String> baseline = new LinkedHashMap<>();

  /** Decoded or set values of this request. */
  private final Map<String, Object> values = new HashMap<>();

  /**
   * The names set in this request, in order, with the encodings their values had at {@code
   * setAttribute}.
   */
  private final Map<String, String> setEncodings = new LinkedHashMap<>();

  /** Names removed in this request. */
  private final Set<String> removed = new LinkedHashSet<>();

  /** Names read in this request whose values might be mutated in place. */
  private final Set<String> readMutable = new LinkedHashSet<>();

  /** Names whose stored value could not be decoded and was reported once in this request. */
  private final Set<String> undecodable = new HashSet<>();

  private @Nullable Timeouts newTimeouts;
  private boolean valid = true;
  private @Nullable String provisionalHandle;

  private StoreHttpSession(SessionContext context, @Nullable Session snapshot, boolean isNew) {
    this.context = context;
    this.codec = context.store().config().codec();
    this.isNew = isNew;
    this.pendingCreatedAt = context.store().config().clock().instant();
    if (snapshot != null) {
      adopt(snapshot);
    }
  }

  static StoreHttpSession existing(SessionContext context, Session snapshot) {
    return new StoreHttpSession(context, snapshot, false);
  }

  static StoreHttpSession pending(SessionContext context) {
    return new StoreHttpSession(context, null, true);
  }

  // ---- state used by SessionContext (callers hold the context lock) ----

  @Nullable Session snapshot() {
    return snapshot;
  }

  boolean isPending() {
    return snapshot == null;
  }

  boolean isValid() {
    return valid;
  }

  /**
   * Takes a new snapshot from the store (created, renewed, logged in): its attributes are the
   * baseline.
   */
  void adopt(Session s) {
    this.snapshot = s;
    baseline.clear();
    baseline.putAll(s.encodedAttributes());
    // Values of the old snapshot stay valid where the attribute carried over (renew, login).
    values.keySet().removeIf(n -> !baseline.containsKey(n) && !setEncodings.containsKey(n));
    readMutable.retainAll(values.keySet());
  }

  /**
   * The changes this request made that the store does not hold yet; clears them as if written. Call
   * {@link #written} after the store accepted them.
   */
  SessionChanges pendingChanges() {
    SessionChanges.Builder b = SessionChanges.builder();
    Set<String> candidates = new LinkedHashSet<>(setEncodings.keySet());
    candidates.addAll(readMutable);
    for (String name : candidates) {
      Object value = values.get(name);
      if (value == null || removed.contains(name)) {
        continue;
      }
      String encoded = setEncodings.get(name);
      if (encoded == null || !isImmutable(value)) {
        // Read, or set but mutable: it may have changed in place since, so encode what it holds
        // now.
        encoded = SessionStoreCore.encodeWith(codec, name, value);
      }
      if (!encoded.equals(baseline.get(name))) {
        b.setEncoded(name, value, encoded);
      }
    }
    for (String name : removed) {
      if (baseline.containsKey(name)) {
        b.remove(name);
      }
    }
    if (newTimeouts != null && (snapshot == null || !newTimeouts.equals(snapshot.timeouts()))) {
      b.timeouts(newTimeouts);
    }
    return b.build();
  }

  /**
   * Forgets this request's unwritten values of the attributes a login does not carry over, so a
   * session that was never written passes on only what the login's options allow.
   */
  void forgetUnwrittenExcept(Predicate<String> carried) {
    setEncodings.keySet().removeIf(n -> !carried.test(n));
    readMutable.removeIf(n -> !carried.test(n));
  }

  /**
   * Records that the store now holds these changes (as {@link #pendingChanges} made them: encoded).
   */
  void written(SessionChanges changes) {
    Map<String, String> encodings = changes.encodings();
    for (Map.Entry<String, Object> e : changes.sets().entrySet()) {
      String encoded = encodings.get(e.getKey());
      baseline.put(
          e.getKey(),
          encoded != null ? encoded : SessionStoreCore.encodeWith(codec, e.getKey(), e.getValue()));
    }
    for (String name : changes.removals()) {
      baseline.remove(name);
    }
    setEncodings.clear();
    removed.clear();
    newTimeouts = null;
  }

  /**
   * Marks the session invalid and returns the attributes to tell of their removal: those whose
   * values are binding listeners, or all of them if attribute listeners want to know.
   */
  List<Map.Entry<String, Object>> invalidateLocally(boolean all) {
    List<Map.Entry<String, Object>> bound = new ArrayList<>();
    for (String name : attributeNamesLocked()) {
      Object v = valueLocked(name);
      if (v != null && (all || v instanceof HttpSessionBindingListener)) {
        bound.add(Map.entry(name, v));
      }
    }
    valid = false;
    values.clear();
    setEncodings.clear();
    removed.clear();
    readMutable.clear();
    return bound;
  }

  /** The session ended elsewhere (concurrent logout): it is no longer valid, nothing to unbind. */
  void markGone() {
    valid = false;
  }

  // ---- HttpSession ----

  /**
   * The store's creation time. Asked of a session this request created but has not written yet, the
   * session is created in the store now, so that the time reported here is the one every later
   * request reads (the store stamps its own clock when it creates the session).
   */
  @Override
  public long getCreationTime() {
    synchronized (context) {
      checkValid("getCreationTime");
      materializeIfPending();
      return (snapshot == null ? pendingCreatedAt : snapshot.createdAt()).toEpochMilli();
    }
  }

  @Override
  public String getId() {
    synchronized (context) {
      if (snapshot == null && valid) {
        // The id is asked for: the pending session must exist now.
        context.materialize(this);
      }
      Session s = snapshot;
      if (s != null) {
        return s.handle();
      }
      // Invalidated before it was ever written: it never existed in the store, but it still had an
      // identity for the application (listeners, logs). A handle of a fresh, unused id: unique,
      // the same on every call, and never a live session's.
      if (provisionalHandle == null) {
        provisionalHandle =
            Digests.handleOf(context.store().config().idGenerator().newAnonymousId());
      }
      return provisionalHandle;
    }
  }

  /**
   * The store's last recorded activity; see {@link #getCreationTime()} for a session not yet
   * written.
   */
  @Override
  public long getLastAccessedTime() {
    synchronized (context) {
      checkValid("getLastAccessedTime");
      materializeIfPending();
      return (snapshot == null ? pendingCreatedAt : snapshot.lastAccessedAt()).toEpochMilli();
    }
  }

  private void materializeIfPending() {
    if (snapshot == null && valid) {
      context.materialize(this);
    }
  }

  @Override
  public ServletContext getServletContext() {
    return context.servletContext();
  }

  /**
   * Ignored on an invalidated session, as containers do (the Servlet spec declares no exception).
   */
  @Override
  public void setMaxInactiveInterval(int interval) {
    synchronized (context) {
      if (!valid) {
        LOG.debug("setMaxInactiveInterval on an invalidated session ignored");
        return;
      }
      Timeouts current = currentTimeouts();
      Duration absolute = current.absolute().orElse(null);
      if (interval <= 0) {
        // "Never times out by inactivity": keep the absolute timeout; a session never lives
        // forever.
        newTimeouts =
            Timeouts.absolute(absolute != null ? absolute : TtlPolicy.DEFAULT_ABSOLUTE_TIMEOUT);
      } else {
        newTimeouts = Timeouts.of(Duration.ofSeconds(interval), absolute);
      }
    }
  }

  @Override
  public int getMaxInactiveInterval() {
    synchronized (context) {
      return currentTimeouts()
          .idle()
          .map(d -> (int) Math.min(Integer.MAX_VALUE, d.getSeconds()))
          .orElse(-1);
    }
  }

  private Timeouts currentTimeouts() {
    if (newTimeouts != null) {
      return newTimeouts;
    }
    return snapshot != null ? snapshot.timeouts() : context.store().config().ttlPolicy().timeouts();
  }

  @Override
  public @Nullable Object getAttribute(String name) {
    synchronized (context) {
      checkValid("getAttribute");
      return valueLocked(name);
    }
  }

  private @Nullable Object valueLocked(String name) {
    if (name == null || removed.contains(name)) {
      return null;
    }
    Object v = values.get(name);
    if (v != null) {
      return v;
    }
    String encoded = baseline.get(name);
    if (encoded == null) {
      return null;
    }
    try {
      v = codec.decode(name, encoded);
    } catch (AttributeDecodingException e) {
      // Once per attribute and request: an application may read it on every line of a page.
      if (undecodable.add(name)) {
        LOG.warn(
            "Attribute '{}' of session {} cannot be decoded and is ignored: {}",
            name,
            getIdQuietly(),
            e.getMessage());
      }
      return null;
    }
    values.put(name, v);
    if (!isImmutable(v)) {
      readMutable.add(name);
    }
    return v;
  }

  /** Whether a value cannot change in place, so that its encoding cannot change either. */
  static boolean isImmutable(Object value) {
    return IMMUTABLE_TYPES.get(value.getClass());
  }

  /**
   * Whether values of a declared type cannot change in place. A record's components count by their
   * declared types: an {@code Object} or {@code List} component may hold anything. A record that
   * contains itself, directly or not, counts as mutable (rare, and a wrong "mutable" costs only an
   * encoding). {@code BigDecimal} and {@code BigInteger} can be subclassed, but a mutable subclass
   * is one the JDK documents against.
   */
  private static boolean immutableType(Class<?> type, Set<Class<?>> enclosing) {
    if (type.isPrimitive() || IMMUTABLE.contains(type) || Enum.class.isAssignableFrom(type)) {
      return true;
    }
    if (!type.isRecord() || !enclosing.add(type)) {
      return false;
    }
    try {
      for (RecordComponent c : type.getRecordComponents()) {
        if (!immutableType(c.getType(), enclosing)) {
          return false;
        }
      }
      return true;
    } finally {
      enclosing.remove(type);
    }
  }

  private String getIdQuietly() {
    Session s = snapshot;
    return s == null ? "(new)" : s.handle();
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    synchronized (context) {
      checkValid("getAttributeNames");
      return Collections.enumeration(attributeNamesLocked());
    }
  }

  private List<String> attributeNamesLocked() {
    Set<String> names = new LinkedHashSet<>(baseline.keySet());
    names.addAll(setEncodings.keySet());
    names.removeAll(removed);
    return new ArrayList<>(names);
  }

  @Override
  public void setAttribute(String name, @Nullable Object value) {
    if (value == null) {
      removeAttribute(name);
      return;
    }
    Object old;
    String encoded;
    synchronized (context) {
      checkValid("setAttribute");
      // Validates the name, and fails now, naming the attribute, if the codec refuses the value;
      // the encoding is kept for the commit (see the class comment).
      SessionChanges.builder().set(name, value);
      encoded = SessionStoreCore.encodeWith(codec, name, value);
      old = valueLocked(name);
    }
    if (value instanceof HttpSessionBindingListener l && old != value) {
      bound(l, name, value);
    }
    synchronized (context) {
      checkValid("setAttribute");
      values.put(name, value);
      setEncodings.put(name, encoded);
      removed.remove(name);
    }
    if (old instanceof HttpSessionBindingListener l && old != value) {
      unbound(l, name, old);
    }
    if (old == null) {
      context.listeners().attributeAdded(this, name, value);
    } else {
      context.listeners().attributeReplaced(this, name, old);
    }
  }

  /**
   * Tells a value it was bound. A listener that throws is logged and the value stays bound, as in
   * Tomcat and Jetty: an application that relied on that must not get a 500 here.
   */
  private void bound(HttpSessionBindingListener l, String name, Object value) {
    try {
      l.valueBound(new HttpSessionBindingEvent(this, name, value));
    } catch (RuntimeException e) {
      LOG.warn(
          "valueBound of attribute '{}' ({}) threw; the value stays bound",
          name,
          value.getClass().getName(),
          e);
    }
  }

  /** Tells a value it was unbound; a listener that throws is logged and the removal stands. */
  void unbound(HttpSessionBindingListener l, String name, Object value) {
    try {
      l.valueUnbound(new HttpSessionBindingEvent(this, name, value));
    } catch (RuntimeException e) {
      LOG.warn(
          "valueUnbound of attribute '{}' ({}) threw; ignored",
          name,
          value.getClass().getName(),
          e);
    }
  }

  @Override
  public void removeAttribute(String name) {
    Object old;
    synchronized (context) {
      checkValid("removeAttribute");
      old = valueLocked(name);
      values.remove(name);
      setEncodings.remove(name);
      readMutable.remove(name);
      removed.add(name);
    }
    if (old instanceof HttpSessionBindingListener l) {
      unbound(l, name, old);
    }
    if (old != null) {
      context.listeners().attributeRemoved(this, name, old);
    }
  }

  @Override
  public void invalidate() {
    synchronized (context) {
      checkValid("invalidate");
    }
    context.invalidate(this);
  }

  @Override
  public boolean isNew() {
    synchronized (context) {
      checkValid("isNew");
      return isNew;
    }
  }

  private void checkValid(String method) {
    if (!valid) {
      throw new IllegalStateException(method + ": the session has been invalidated");
    }
  }

  @Override
  public String toString() {
    return "StoreHttpSession{" + getIdQuietly() + (valid ? "" : ", invalid") + '}';
  }
}
