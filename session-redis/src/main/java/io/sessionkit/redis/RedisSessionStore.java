package io.sessionkit.redis;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.SessionTooLargeException;
import io.sessionkit.core.Timeouts;
import io.sessionkit.core.internal.Digests;
import io.sessionkit.core.internal.SessionSize;
import io.sessionkit.core.internal.UserIds;
import io.sessionkit.redis.internal.Codec;
import io.sessionkit.redis.internal.Events;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.redis.internal.LuaScript;
import io.sessionkit.redis.internal.RedisIo;
import io.sessionkit.redis.internal.ReportingCodec;
import io.sessionkit.redis.internal.SessionReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionStore} on Redis: one hash per session, one sorted set per user, tombstones as small
 * strings, every operation one Lua script on one hash slot, so it runs unchanged on Redis Cluster.
 *
 * <p><b>Cost in Redis commands</b> (asserted by a test): {@link #access} 1 (a plain {@code HGETALL};
 * 2 when a touch is due, at most once per touch interval per session, or when the session is absent
 * or expired); {@link #update} 1;
 * {@link #create} 1; {@link #login} 1 when the current session is absent or already in the user's
 * slot, else 2 (take it from its slot, then log in), plus 1 to put it back only when
 * {@link OnLimit#REJECT_NEW} refuses the login; {@link #delete}, {@link #renewId},
 * {@link #deleteByHandle}, {@link #listForUser} and {@link #deleteAllForUser} 1 each, whatever the
 * number of sessions. A malformed id costs nothing: it never reaches Redis.
 *
 * <p><b>Time.</b> Expiry is judged by the scripts against the time of
 * {@link SessionConfig#clock()}, passed with every call; key TTLs, set relative to the same clock,
 * only reclaim memory. A session found expired is reported with its timeout reason; {@link #access}
 * deletes it only once it is expired by more than the tolerated clock skew between servers
 * (60 s), so that a server whose clock runs ahead refuses the session without removing it for the
 * others.
 *
 * <p><b>Failure.</b> Calls throw {@link io.sessionkit.core.StoreUnavailableException} when Redis is
 * unreachable or slower than {@link RedisOptions#commandTimeout()}; the same instance works again
 * once Redis is back.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * RedisConnector redis = RedisConnector.connect(RedisOptions.fromUri("redis://localhost:6379"));
 * SessionStore store = RedisSessionStore.create(redis, SessionConfig.defaults());
 * }</pre>
 */
public final class RedisSessionStore implements SessionStore {
  private static final int MAX_ID_ATTEMPTS = 8;

  private final RedisConnector connector;
  private final boolean ownsConnector;
  private final RedisIo io;
  private final Keys keys;
  private final SessionConfig config;
  private final SessionIdGenerator ids;
  private final AttributeCodec codec;
  private final Timeouts defaults;
  private final Events events;
  private final SessionReader reader;
  private final AtomicBoolean open = new AtomicBoolean(true);

  private RedisSessionStore(RedisConnector connector, boolean ownsConnector, SessionConfig config) {
    this.connector = connector;
    this.ownsConnector = ownsConnector;
    this.io = connector.io();
    this.keys = new Keys(connector.options().keyPrefix());
    this.config = config;
    this.ids = config.idGenerator();
    this.codec = config.codec();
    this.defaults = config.ttlPolicy().timeouts();
    this.events = Events.of(config);
    this.reader = new SessionReader(io, keys, config, events);
  }

  /**
   * A store on a shared connector, which the caller keeps and closes after the store.
   *
   * @param connector the connection to Redis
   * @param config the session configuration
   * @return the store
   */
  public static RedisSessionStore create(RedisConnector connector, SessionConfig config) {
    return new RedisSessionStore(Objects.requireNonNull(connector, "connector"), false,
        Objects.requireNonNull(config, "config"));
  }

  /**
   * A store with its own connector, closed by {@link #close()}.
   *
   * @param options how to reach Redis
   * @param config the session configuration
   * @return the store
   * @throws io.sessionkit.core.StoreUnavailableException if Redis cannot be reached
   */
  public static RedisSessionStore create(RedisOptions options, SessionConfig config) {
    Objects.requireNonNull(config, "config");
    return new RedisSessionStore(RedisConnector.connect(options), true, config);
  }

  /** @return the connector this store uses */
  public RedisConnector connector() {
    return connector;
  }

  @Override
  public SessionConfig config() {
    return config;
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private long now() {
    return config.clock().millis();
  }

  private List<String> common(long now, String tag) {
    List<String> a = new ArrayList<>(16);
    a.add(Long.toString(now));
    a.add(defaults.idle().map(d -> Long.toString(Codec.millis(d))).orElse("-1"));
    a.add(defaults.absolute().map(d -> Long.toString(Codec.millis(d))).orElse("-1"));
    a.add(keys.base(tag));
    return a;
  }

  private boolean wellFormed(@Nullable String id, String source) {
    if (ids.isWellFormed(id)) {
      return true;
    }
    events.invalidId(source);
    return false;
  }

  private static EndReason reason(String code) {
    return switch (code) {
      case "L" -> EndReason.LOGOUT;
      case "I" -> EndReason.IDLE_TIMEOUT;
      case "A" -> EndReason.ABSOLUTE_TIMEOUT;
      case "R" -> EndReason.REVOKED;
      case "P" -> EndReason.REPLACED;
      case "X" -> EndReason.ALL_REVOKED;
      default -> throw new IllegalStateException("unknown end reason code " + code);
    };
  }

  private static String code(EndReason reason) {
    return switch (reason) {
      case LOGOUT -> "L";
      case IDLE_TIMEOUT -> "I";
      case ABSOLUTE_TIMEOUT -> "A";
      case REVOKED -> "R";
      case REPLACED -> "P";
      case ALL_REVOKED -> "X";
    };
  }

  private static long asLong(Object o) {
    return o instanceof Long l ? l : Long.parseLong(String.valueOf(o));
  }

  private static @Nullable String userOrNull(Object o) {
    String s = String.valueOf(o);
    return s.isEmpty() ? null : s;
  }

  /** Reports a session a script found expired and deleted: {2, reason, userId}. */
  private void reportExpired(List<Object> r, String handle, long now) {
    events.ended(handle, userOrNull(r.get(2)), Instant.ofEpochMilli(now), reason(String.valueOf(r.get(1))));
  }

  private String encode(String name, Object value) {
    return codec.encode(name, value);
  }

  private static String orEmpty(Optional<String> s) {
    return s.orElse("");
  }

  private void ensureOpen() {
    if (!open.get()) {
      throw new IllegalStateException("the store is closed");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // SessionStore

  @Override
  public Session create(SessionChanges initial) {
    Objects.requireNonNull(initial, "initial");
    ensureOpen();
    List<String> fields = new ArrayList<>();
    long size = 0;
    for (Map.Entry<String, Object> e : initial.sets().entrySet()) {
      String encoded = encode(e.getKey(), e.getValue());
      fields.add(Codec.ATTRIBUTE + e.getKey());
      fields.add(encoded);
      size += SessionSize.of(e.getKey(), encoded);
    }
    SessionSize.check(size, config.maxSessionBytes());
    long now = now();
    Timeouts t = initial.timeouts().orElse(defaults);
    List<String> sys = new ArrayList<>(List.of("c", Long.toString(now), "a", Long.toString(now)));
    if (size > 0) {
      sys.add("z");
      sys.add(Long.toString(size));
    }
    initial.timeouts().ifPresent(o -> {
      sys.add("o");
      sys.add(Codec.encodeTimeouts(o));
    });
    addMetadata(sys, initial.metadata().orElse(SessionMetadata.empty()));
    sys.addAll(fields);
    Instant at = Instant.ofEpochMilli(now);
    long ttl = Math.max(1, t.expiresAt(at, at).toEpochMilli() - now);
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      String id = ids.newAnonymousId();
      String tag = SessionIdGenerator.tagOf(id);
      String handle = Digests.handleOf(id);
      List<String> args = common(now, tag);
      args.add(Long.toString(ttl));
      args.addAll(sys);
      long created = io.evalLong(LuaScript.CREATE, List.of(keys.session(tag, handle), keys.tombstone(tag, handle)),
          args);
      if (created == 1) {
        Session s = snapshot(id, toMap(sys));
        events.created(s.handle(), null, at);
        return s;
      }
    }
    throw new IllegalStateException("the id generator produced " + MAX_ID_ATTEMPTS
        + " ids in a row that were already in use: is its SecureRandom broken?");
  }

  /**
   * A session snapshot from its hash, whose codec reports stored values it refuses to the listeners
   * ({@code attributeRejected}).
   */
  private Session snapshot(String id, Map<String, String> hash) {
    String user = hash.get("u");
    return Codec.session(id, hash, new ReportingCodec(codec, events, Digests.handleOf(id),
        user == null || user.isEmpty() ? null : user, config.clock()), defaults);
  }

  private static Map<String, String> toMap(List<String> flat) {
    return Codec.toMap(flat);
  }

  private static void addMetadata(List<String> fields, SessionMetadata m) {
    m.deviceType().ifPresent(v -> fields.addAll(List.of("d", v)));
    m.deviceLabel().ifPresent(v -> fields.addAll(List.of("l", v)));
    m.userAgent().ifPresent(v -> fields.addAll(List.of("g", v)));
    m.address().ifPresent(v -> fields.addAll(List.of("p", v)));
  }

  @Override
  public AccessResult access(@Nullable String id, AccessMode mode) {
    Objects.requireNonNull(mode, "mode");
    if (!wellFormed(id, "access")) {
      return AccessResult.absent();
    }
    ensureOpen();
    return reader.access(id, mode);
  }

  /** @return the access path (a plain HGETALL, a script only when the hash must change) */
  SessionReader reader() {
    return reader;
  }

  /** {@link #access} of a well-formed id whose handle the caller has, with the live snapshot. */
  SessionReader.Read read(String id, String handle, AccessMode mode) {
    ensureOpen();
    return reader.read(id, handle, mode);
  }

  @Override
  public boolean update(@Nullable String id, SessionChanges changes) {
    Objects.requireNonNull(changes, "changes");
    if (!wellFormed(id, "update")) {
      return false;
    }
    ensureOpen();
    List<String> sets = new ArrayList<>();
    for (Map.Entry<String, Object> e : changes.sets().entrySet()) {
      sets.add(Codec.ATTRIBUTE + e.getKey());
      sets.add(encode(e.getKey(), e.getValue()));
    }
    long now = now();
    String tag = SessionIdGenerator.tagOf(id);
    String handle = Digests.handleOf(id);
    List<String> args = common(now, tag);
    args.add(handle);
    args.add(Integer.toString(config.maxSessionBytes()));
    args.add(changes.timeouts().map(Codec::encodeTimeouts).orElse(""));
    Optional<SessionMetadata> md = changes.metadata();
    args.add(md.isPresent() ? "M" : "");
    SessionMetadata m = md.orElse(SessionMetadata.empty());
    args.add(orEmpty(m.deviceType()));
    args.add(orEmpty(m.deviceLabel()));
    args.add(orEmpty(m.userAgent()));
    args.add(orEmpty(m.address()));
    args.add(Integer.toString(sets.size() / 2));
    args.addAll(sets);
    for (String name : changes.removals()) {
      args.add(Codec.ATTRIBUTE + name);
    }
    List<Object> r = io.evalList(LuaScript.UPDATE, List.of(keys.session(tag, handle)), args);
    long code = asLong(r.get(0));
    if (code == -1) {
      throw new SessionTooLargeException(asLong(r.get(1)), config.maxSessionBytes());
    }
    if (code == 2) {
      reportExpired(r, handle, now);
    }
    return code == 1;
  }

  @Override
  public Optional<Session> renewId(@Nullable String id) {
    if (!wellFormed(id, "renewId")) {
      return Optional.empty();
    }
    ensureOpen();
    long now = now();
    String tag = SessionIdGenerator.tagOf(id);
    String oldHandle = Digests.handleOf(id);
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      String newId = ids.newIdLike(id);
      String newHandle = Digests.handleOf(newId);
      List<String> args = common(now, tag);
      args.add(oldHandle);
      args.add(newHandle);
      List<Object> r = io.evalList(LuaScript.RENEW, List.of(keys.session(tag, oldHandle),
          keys.session(tag, newHandle), keys.tombstone(tag, newHandle)), args);
      long code = asLong(r.get(0));
      if (code == -1) {
        continue;
      }
      if (code == 2) {
        reportExpired(r, oldHandle, now);
        return Optional.empty();
      }
      if (code != 1) {
        return Optional.empty();
      }
      Session s = snapshot(newId, Codec.toMap(r.get(1)));
      events.idChanged(s.handle(), s.userId().orElse(null), Instant.ofEpochMilli(now), oldHandle);
      return Optional.of(s);
    }
    throw new IllegalStateException("the id generator produced " + MAX_ID_ATTEMPTS
        + " ids in a row that were already in use: is its SecureRandom broken?");
  }

  @Override
  public LoginResult login(@Nullable String currentId, String userId, LoginOptions options) {
    checkUserId(userId);
    Objects.requireNonNull(options, "options");
    ensureOpen();
    String userTag = Digests.tagForUser(userId);
    long now = now();
    Instant at = Instant.ofEpochMilli(now);
    String mode = "N";
    String oldHandle = "";
    String oldTag = null;
    List<String> carried = List.of();
    if (currentId != null && wellFormed(currentId, "login")) {
      oldTag = SessionIdGenerator.tagOf(currentId);
      oldHandle = Digests.handleOf(currentId);
      if (oldTag.equals(userTag)) {
        mode = "L";
      } else {
        List<String> args = common(now, oldTag);
        args.add(oldHandle);
        List<Object> r = io.evalList(LuaScript.TAKE, List.of(keys.session(oldTag, oldHandle)), args);
        long code = asLong(r.get(0));
        if (code == 1) {
          mode = "C";
          List<String> flat = new ArrayList<>();
          for (Object o : (List<?>) r.get(1)) {
            flat.add(String.valueOf(o));
          }
          carried = flat;
        } else if (code == 2) {
          reportExpired(r, oldHandle, now);
        }
      }
    }
    LoginPolicy policy = config.loginPolicy();
    SessionMetadata md = options.metadata();
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      String newId = ids.newIdForUser(userId);
      String newHandle = Digests.handleOf(newId);
      List<String> args = common(now, userTag);
      args.add(newHandle);
      args.add(userId);
      args.add(Keys.userDigest(userId));
      args.add(Integer.toString(policy.maxSessionsPerUser().orElse(0)));
      args.add(Integer.toString(policy.maxSessionsPerDeviceType().orElse(0)));
      args.add(policy.onLimit() == OnLimit.REJECT_NEW ? "R" : "E");
      args.add(Long.toString(config.tombstoneTtl().toMillis()));
      args.add(options.timeouts().map(Codec::encodeTimeouts).orElse(""));
      args.add(options.keepAttributes() ? "1" : "0");
      args.add(md.isEmpty() ? "0" : "1");
      args.add(orEmpty(md.deviceType()));
      args.add(orEmpty(md.deviceLabel()));
      args.add(orEmpty(md.userAgent()));
      args.add(orEmpty(md.address()));
      args.add(mode.equals("N") ? "" : oldHandle);
      args.add(mode);
      args.addAll(carried);
      List<String> k = new ArrayList<>(List.of(keys.session(userTag, newHandle), keys.tombstone(userTag, newHandle),
          keys.userIndex(userId)));
      if (mode.equals("L")) {
        k.add(keys.session(userTag, oldHandle));
      }
      List<Object> r = io.evalList(LuaScript.LOGIN, k, args);
      long code = asLong(r.get(0));
      if (code == -1) {
        continue;
      }
      if (code == -2) {
        if (mode.equals("C")) {
          List<String> back = common(now, oldTag);
          back.add(oldHandle);
          back.addAll(carried);
          io.evalLong(LuaScript.RESTORE, List.of(keys.session(oldTag, oldHandle)), back);
        }
        events.loginRejected(userId);
        return new LoginResult.Rejected((int) asLong(r.get(1)), asLong(r.get(2)) == 1);
      }
      Session s = snapshot(newId, Codec.toMap(r.get(1)));
      boolean retired = asLong(r.get(2)) == 1;
      List<SessionInfo> evicted = new ArrayList<>();
      for (int i = 3; i + 1 < r.size(); i += 2) {
        evicted.add(Codec.info(String.valueOf(r.get(i)), Codec.toMap(r.get(i + 1)), defaults));
      }
      for (SessionInfo e : evicted) {
        events.ended(e.handle(), userId, at, EndReason.REPLACED);
      }
      events.created(s.handle(), userId, at);
      if (retired) {
        events.idChanged(s.handle(), userId, at, oldHandle);
      }
      return new LoginResult.Accepted(s, evicted);
    }
    throw new IllegalStateException("the id generator produced " + MAX_ID_ATTEMPTS
        + " ids in a row that were already in use: is its SecureRandom broken?");
  }

  private static void checkUserId(String userId) {
    UserIds.requireValid(userId);
  }

  @Override
  public boolean delete(@Nullable String id, EndReason reason) {
    Objects.requireNonNull(reason, "reason");
    if (!wellFormed(id, "delete")) {
      return false;
    }
    ensureOpen();
    String tag = SessionIdGenerator.tagOf(id);
    return durable(deleteOne(tag, Digests.handleOf(id), reason, ""), "delete");
  }

  /** Waits for the replicas if the call ended a session (see {@link RedisOptions.Durability}). */
  private boolean durable(boolean ended, String what) {
    if (ended) {
      connector.replicaWait().await(what);
    }
    return ended;
  }

  private boolean deleteOne(String tag, String handle, EndReason reason, String owner) {
    long now = now();
    List<String> args = common(now, tag);
    args.add(handle);
    args.add(code(reason));
    args.add(Long.toString(reason.isExpiry() ? 0 : config.tombstoneTtl().toMillis()));
    args.add(owner);
    List<Object> r = io.evalList(LuaScript.DELETE, List.of(keys.session(tag, handle), keys.tombstone(tag, handle)),
        args);
    long code = asLong(r.get(0));
    if (code == 2) {
      reportExpired(r, handle, now);
    } else if (code == 1) {
      events.ended(handle, userOrNull(r.get(1)), Instant.ofEpochMilli(now), reason);
    }
    return code == 1;
  }

  @Override
  public List<SessionInfo> listForUser(String userId) {
    checkUserId(userId);
    ensureOpen();
    long now = now();
    String tag = Digests.tagForUser(userId);
    List<Object> r = io.evalList(LuaScript.LIST, List.of(keys.userIndex(userId)), common(now, tag));
    List<SessionInfo> out = new ArrayList<>();
    String[] names = {"c", "a", "o", "u", "n", "d", "l", "g", "p"};
    for (int i = 0; i + 9 < r.size(); i += 10) {
      Map<String, String> m = new java.util.HashMap<>();
      for (int j = 0; j < 9; j++) {
        m.put(names[j], String.valueOf(r.get(i + 1 + j)));
      }
      out.add(Codec.info(String.valueOf(r.get(i)), m, defaults));
    }
    out.sort(Comparator.comparing(SessionInfo::createdAt).thenComparing(SessionInfo::handle));
    return out;
  }

  @Override
  public boolean deleteByHandle(String userId, String handle, EndReason reason) {
    checkUserId(userId);
    Objects.requireNonNull(reason, "reason");
    if (!Codec.isHandle(handle)) {
      return false;
    }
    ensureOpen();
    return durable(deleteOne(Digests.tagForUser(userId), handle, reason, userId), "deleteByHandle");
  }

  @Override
  public int deleteAllForUser(String userId, @Nullable String keepId, EndReason reason) {
    checkUserId(userId);
    Objects.requireNonNull(reason, "reason");
    ensureOpen();
    int ended = endAll(userId, keepId, reason, null, 0).ended().size();
    if (ended > 0) {
      connector.replicaWait().await("deleteAllForUser");
    }
    return ended;
  }

  /**
   * Ends every session of a user and, if a watermark stamp is given, raises the user's token
   * watermark, in one script.
   */
  EndAll endAll(String userId, @Nullable String keepId, EndReason reason, @Nullable String watermarkStamp,
      long watermarkTtlMillis) {
    long now = now();
    String tag = Digests.tagForUser(userId);
    String keep = "";
    if (keepId != null && ids.isWellFormed(keepId)) {
      keep = Digests.handleOf(keepId);
    }
    List<String> args = common(now, tag);
    args.add(code(reason));
    args.add(Long.toString(reason.isExpiry() ? 0 : config.tombstoneTtl().toMillis()));
    args.add(keep);
    args.add(watermarkStamp == null ? "" : watermarkStamp);
    args.add(Long.toString(watermarkTtlMillis));
    List<Object> r = io.evalList(LuaScript.DELETE_ALL, List.of(keys.userIndex(userId), keys.userWatermark(userId)),
        args);
    List<String> ended = new ArrayList<>();
    Instant at = Instant.ofEpochMilli(now);
    for (int i = 1; i < r.size(); i++) {
      String h = String.valueOf(r.get(i));
      ended.add(h);
      events.ended(h, userId, at, reason);
    }
    return new EndAll(String.valueOf(r.get(0)), ended);
  }

  /** What {@link #endAll} did: the watermark stamp in force ('' if none was raised), the handles ended. */
  record EndAll(String watermarkStamp, List<String> ended) {}

  /** Closes the connector if this store created it. Idempotent. */
  @Override
  public void close() {
    if (open.compareAndSet(true, false) && ownsConnector) {
      connector.close();
    }
  }

  @Override
  public String toString() {
    return "RedisSessionStore{" + connector.options() + '}';
  }
}
