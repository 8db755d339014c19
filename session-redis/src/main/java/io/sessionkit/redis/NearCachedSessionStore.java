package io.sessionkit.redis;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.core.UserIds;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.redis.internal.SessionReader;
import io.sessionkit.redis.internal.SessionReader.Snapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionStore} that serves {@link #access} from this process's memory when it can, in
 * front of a {@link RedisSessionStore}; made by {@link NearCache#sessions(RedisSessionStore)}.
 *
 * <p><b>Read order.</b> {@link #access} checks the id's format (a malformed id never reaches Redis
 * nor the cache), then serves the cached snapshot if all of these hold: the near cache is serving
 * (its subscription is up), the entry is younger than {@link NearCacheOptions#maxAge()}, the
 * session has not expired by {@link SessionConfig#clock()}, and, for {@link AccessMode#EXTEND}, no
 * touch is due ({@code now - lastAccessedAt < }{@link TtlPolicy#effectiveTouchInterval}). Otherwise
 * it calls Redis (one command, which also touches), caches a live answer, and returns it. So a
 * cached read costs no Redis command, and the sliding expiry stays exactly as without the cache: a
 * read that must write {@code lastAccessedAt} always goes to Redis.
 *
 * <p><b>Write order.</b> {@link #update}: the set attributes are encoded once (or taken as the
 * changes carry them), then Redis first; then the local entry is patched with the same encodings
 * (or dropped if another invalidation raced with the write, or the changes touch timeouts or
 * metadata); then the handle is published to the other servers. {@link #create}, {@link #login} and
 * {@link #renewId}: Redis first; then the ids that died are dropped here and published, and the new
 * session is cached.
 *
 * <p><b>Delete order.</b> {@link #delete}, {@link #deleteByHandle}, {@link #deleteAllForUser}:
 * Redis first; then the local entries are dropped; then the handles (or the user's digest) are
 * published; then the call returns. The drop and the message happen even when the call fails (for
 * instance a {@code WAIT} for the replicas that times out after the script ran), and then the
 * failure is thrown to the caller. A read racing with the delete on this server can only put an
 * entry back if it started after the drop, and then it read the deleted state.
 *
 * <p><b>Staleness bound.</b> Once a write or delete returns on one server, every other server's
 * near cache stops serving the old state when the invalidation reaches it, and in every case within
 * {@link NearCacheOptions#maxAge()} (default 1 s), even if the message is lost; see {@link
 * NearCache}. On this server the change is visible at once.
 *
 * <p>Thread-safe. Events are the delegate's: a cached read fires none (nor does one from Redis that
 * finds a live session).
 */
public final class NearCachedSessionStore implements SessionStore, NearCache.Invalidatable {
  private final NearCache near;
  private final RedisSessionStore delegate;
  private final SessionConfig config;
  private final SessionIdGenerator ids;
  private final TtlPolicy policy;
  private final SessionReader reader;
  private final NearEntries<Entry> local;

  /**
   * A cached session's data, its user's digest (for "every session of that user" invalidations),
   * and the {@link System#nanoTime()} before the read that produced it: the age that the bound
   * limits. The snapshot holds neither the session id (the key is its handle; the id comes with
   * each request) nor any decoded value: every hit makes a new {@link Session} that decodes its own
   * values, exactly as a read from Redis does, so nothing one request does to a value it read
   * reaches another request.
   */
  private record Entry(Snapshot snapshot, @Nullable String userDigest, long readAt)
      implements NearEntries.Entry {}

  NearCachedSessionStore(NearCache near, RedisSessionStore delegate) {
    this.near = near;
    this.delegate = delegate;
    this.config = delegate.config();
    this.ids = config.idGenerator();
    this.policy = config.ttlPolicy();
    this.reader = delegate.reader();
    this.local = new NearEntries<>(near, near.options().maximumSessions());
  }

  private static Entry entry(Snapshot s, long readAt) {
    return new Entry(s, s.info().userId().map(Keys::userDigest).orElse(null), readAt);
  }

  /**
   * @return how many accesses were answered from memory
   */
  public long hitCount() {
    return local.hitCount();
  }

  /**
   * @return how many accesses of a well-formed id went to Redis
   */
  public long missCount() {
    return local.missCount();
  }

  /**
   * @return about how many sessions this process holds now (for a cache size gauge)
   */
  public long size() {
    return local.size();
  }

  /**
   * @return how many entries were dropped for lack of room or past {@link
   *     NearCacheOptions#maxAge()}, as opposed to invalidated by a write (for a cache evictions
   *     counter)
   */
  public long evictionCount() {
    return local.evictionCount();
  }

  /**
   * @return the near cache this store belongs to
   */
  public NearCache nearCache() {
    return near;
  }

  @Override
  public SessionConfig config() {
    return config;
  }

  // ---------------------------------------------------------------------------------------------
  // reads

  @Override
  public AccessResult access(@Nullable String id, AccessMode mode) {
    Objects.requireNonNull(mode, "mode");
    if (id == null || !ids.isWellFormed(id) || !local.isServing()) {
      return delegate.access(id, mode); // malformed: no I/O there either, and the event fires once
    }
    // The handle is a SHA-256 of the id: an entry found by handle is this id's (no id is kept).
    String handle = Digests.handleOf(id);
    Entry e = local.fresh(handle);
    if (e != null) {
      SessionInfo info = e.snapshot.info();
      Instant now = config.clock().instant();
      if (now.isBefore(info.expiresAt())
          && (mode == AccessMode.PASSIVE
              || !policy.isTouchDue(e.snapshot.timeouts(), info.lastAccessedAt(), now))) {
        local.hit();
        return AccessResult.active(reader.session(id, e.snapshot));
      }
    }
    local.miss();
    long stamp = local.stamp(handle);
    long readAt = System.nanoTime();
    SessionReader.Read r = delegate.read(id, handle, mode);
    if (r.snapshot() != null) {
      local.putIfUnchanged(handle, stamp, entry(r.snapshot(), readAt));
    } else {
      drop(handle);
    }
    return r.result();
  }

  /** Caches a session this server just made (a new id: nobody else can have invalidated it). */
  private void putNew(Session s, long readAt) {
    String handle = s.handle();
    local.putIfUnchanged(handle, local.stamp(handle), entry(Snapshot.of(s), readAt));
  }

  @Override
  public List<SessionInfo> listForUser(String userId) {
    return delegate.listForUser(userId);
  }

  // ---------------------------------------------------------------------------------------------
  // writes

  @Override
  public Session create(SessionChanges initial) {
    long readAt = System.nanoTime();
    Session s = delegate.create(initial);
    putNew(s, readAt);
    return s;
  }

  @Override
  public boolean update(@Nullable String id, SessionChanges changes) {
    Objects.requireNonNull(changes, "changes");
    if (id == null || !ids.isWellFormed(id)) {
      return delegate.update(id, changes);
    }
    // Encoded once, for Redis and for the local entry; a value the codec refuses fails here,
    // before anything is written or invalidated.
    Map<String, String> encoded = delegate.encode(changes);
    String handle = Digests.handleOf(id);
    long before =
        local.bump(handle); // in-flight reads of the old state must not land after this write
    long writeAt = System.nanoTime();
    Entry base = local.get(handle);
    boolean applied;
    try {
      applied = delegate.updateEncoded(id, changes, encoded);
    } catch (RuntimeException ex) {
      // The write may have landed before the failure (a timeout after the script ran): forget it
      // here and tell the other servers, as for a write that returned.
      drop(handle);
      near.publish(NearCache.SESSION, SessionIdGenerator.tagOf(id), List.of(handle));
      throw ex;
    }
    if (!applied) {
      drop(handle);
      near.publish(NearCache.SESSION, SessionIdGenerator.tagOf(id), List.of(handle));
      return false;
    }
    long after = local.bump(handle);
    Snapshot patched =
        after == before + 1 && base != null ? patch(base.snapshot, changes, encoded) : null;
    if (patched == null
        || base == null
        || !local.replace(
            handle, base, new Entry(patched, base.userDigest, Math.min(base.readAt, writeAt)))) {
      drop(handle);
    }
    near.publish(NearCache.SESSION, SessionIdGenerator.tagOf(id), List.of(handle));
    return true;
  }

  /**
   * The cached snapshot with the changes applied as Redis applied them (the encodings Redis was
   * given), or null if unsure.
   */
  private static @Nullable Snapshot patch(
      Snapshot s, SessionChanges changes, Map<String, String> encoded) {
    if (changes.timeouts().isPresent() || changes.metadata().isPresent()) {
      return null;
    }
    Map<String, String> attrs = new LinkedHashMap<>(s.attributes());
    attrs.putAll(encoded);
    for (String name : changes.removals()) {
      attrs.remove(name);
    }
    return new Snapshot(s.info(), s.timeouts(), Collections.unmodifiableMap(attrs));
  }

  @Override
  public Optional<Session> renewId(@Nullable String id) {
    long readAt = System.nanoTime();
    Optional<Session> renewed;
    try {
      renewed = delegate.renewId(id);
    } finally {
      // Also when the call failed after Redis retired the old id.
      if (id != null && ids.isWellFormed(id)) {
        String old = Digests.handleOf(id);
        drop(old);
        near.publish(NearCache.SESSION, SessionIdGenerator.tagOf(id), List.of(old));
      }
    }
    renewed.ifPresent(s -> putNew(s, readAt));
    return renewed;
  }

  @Override
  public LoginResult login(@Nullable String currentId, String userId, LoginOptions options) {
    UserIds.requireValid(userId); // bad input costs no command, not even a PUBLISH
    Objects.requireNonNull(options, "options");
    long readAt = System.nanoTime();
    List<String> dead = new ArrayList<>();
    if (currentId != null && ids.isWellFormed(currentId)) {
      dead.add(Digests.handleOf(currentId));
    }
    LoginResult r;
    try {
      r = delegate.login(currentId, userId, options);
    } catch (RuntimeException ex) {
      // Redis may have retired the current id before the failure: forget it everywhere.
      dead.forEach(this::drop);
      near.publish(NearCache.SESSION, Digests.tagForUser(userId), dead);
      throw ex;
    }
    if (r instanceof LoginResult.Accepted a) {
      for (SessionInfo evicted : a.evicted()) {
        dead.add(evicted.handle());
      }
    }
    for (String h : dead) {
      drop(h);
    }
    near.publish(NearCache.SESSION, Digests.tagForUser(userId), dead);
    if (r instanceof LoginResult.Accepted a) {
      putNew(a.session(), readAt);
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // deletes

  @Override
  public boolean delete(@Nullable String id, EndReason reason) {
    Objects.requireNonNull(reason, "reason");
    try {
      return delegate.delete(id, reason);
    } finally {
      // Whatever the outcome, even a WAIT for the replicas that failed after the session was
      // deleted on the master: the entry goes here and on every other server, then the failure
      // (if any) reaches the caller.
      if (id != null && ids.isWellFormed(id)) {
        String handle = Digests.handleOf(id);
        drop(handle);
        near.publish(NearCache.SESSION, SessionIdGenerator.tagOf(id), List.of(handle));
      }
    }
  }

  @Override
  public boolean deleteByHandle(String userId, String handle, EndReason reason) {
    UserIds.requireValid(userId); // bad input costs no command, not even a PUBLISH
    Objects.requireNonNull(reason, "reason");
    try {
      return delegate.deleteByHandle(userId, handle, reason);
    } finally {
      if (Digests.isDigest(handle)) { // as in delete: also after a failed WAIT
        drop(handle);
        near.publish(NearCache.SESSION, Digests.tagForUser(userId), List.of(handle));
      }
    }
  }

  @Override
  public int deleteAllForUser(String userId, @Nullable String keepId, EndReason reason) {
    UserIds.requireValid(userId); // bad input costs no command, not even a PUBLISH
    Objects.requireNonNull(reason, "reason");
    try {
      return delegate.deleteAllForUser(userId, keepId, reason);
    } finally {
      // as in delete: also after a failed WAIT
      String digest = Keys.userDigest(userId);
      invalidateUser(digest);
      near.publish(NearCache.USER, Digests.tagForUser(userId), List.of(digest));
    }
  }

  private void drop(String handle) {
    local.drop(handle);
  }

  // ---------------------------------------------------------------------------------------------
  // invalidations (Lettuce's thread)

  @Override
  public void invalidateHandle(String handle) {
    drop(handle);
  }

  @Override
  public void invalidateUser(String userDigest) {
    local.dropUser(userDigest);
  }

  @Override
  public void invalidateToken(String tokenDigest) {
    // not a session
  }

  @Override
  public void invalidateAllTokens() {
    // not a session
  }

  @Override
  public void invalidateAll() {
    local.dropAll();
  }

  /** Closes the Redis store (and its connector if it owns one) and stops caching. Idempotent. */
  @Override
  public void close() {
    local.close(this, delegate::close);
  }

  @Override
  public String toString() {
    return "NearCachedSessionStore{" + delegate + ", " + near + '}';
  }
}
