package io.sessionkit.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionCounting;
import io.sessionkit.core.SessionCounts;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.SessionStoreCore;
import io.sessionkit.core.SessionTooLargeException;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.Timeouts;
import io.sessionkit.redis.internal.Codec;
import io.sessionkit.redis.internal.Contract;
import io.sessionkit.redis.internal.Events;
import io.sessionkit.redis.internal.Fields;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.redis.internal.LuaScript;
import io.sessionkit.redis.internal.RedisIo;
import io.sessionkit.redis.internal.ReportingCodec;
import io.sessionkit.redis.internal.SessionReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionStore} on Redis: one hash per session, one sorted set per user, tombstones as
 * small strings, every operation one Lua script on one hash slot, so it runs unchanged on Redis
 * Cluster.
 *
 * <p><b>Cost in Redis commands</b> (asserted by a test): {@link #access} 1 (a plain {@code
 * HGETALL}; 2 when a touch is due, at most once per touch interval per session, when the session is
 * absent (a {@code GET} of its tombstone) or when it is expired by more than the clock skew (its
 * deletion)); {@link #update} 1 (2 when it changes the timeouts of a user's session); {@link
 * #create} 1; {@link #login} 1 below the limit, 2 at it (the script first names the sessions it
 * must read, then runs with their keys declared), plus, when the current session lives in another
 * slot, 1 to retire it after the login was accepted and 1 to read it first if the login inherits
 * from it; {@link #delete} and {@link #deleteByHandle} 1; {@link #renewId} 1, 2 for a user's
 * session (its index entry moves too); {@link #listForUser} 2; {@link #deleteAllForUser} 1 plus 1
 * per {@value #END_ALL_BATCH} sessions. A malformed id costs nothing: it never reaches Redis. Every
 * key a script touches is declared in {@code KEYS}, and no script's work grows with the number of
 * sessions a user holds.
 *
 * <p><b>Time.</b> Expiry is judged by the scripts against the time of {@link
 * SessionConfig#clock()}, passed with every call, under the clock-skew rule of {@link
 * SessionConfig#clockSkew()}: a session expired by this server's clock is refused, but deleted (and
 * dropped from its user's index) only once it has expired by more than the skew; key TTLs run the
 * skew past the expiry and only reclaim memory. A session found expired beyond the skew is deleted
 * and reported with its timeout reason. {@link #access} judges the hash it read in Java under the
 * same rule and runs a script only to touch or to delete.
 *
 * <p><b>Durability.</b> {@link #delete}, {@link #deleteByHandle}, {@link #deleteAllForUser} and a
 * login that evicts or retires a session wait for the replicas ({@link RedisOptions.Durability})
 * and throw {@link StoreUnavailableException} if they did not acknowledge: the change is applied on
 * the master, and the call may be retried.
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
public final class RedisSessionStore implements SessionStore, SessionCounting {
  /** The most sessions {@link #listForUser} returns: 100, the default cap per user. */
  public static final int MAX_LISTED = 100;

  private static final int MAX_ID_ATTEMPTS = SessionStoreCore.MAX_ID_DRAWS;

  /** Sessions one step of {@link #deleteAllForUser} ends (bounds the Redis time of each step). */
  static final int END_ALL_BATCH = 50;

  /** The most sessions one login evicts, when a user holds far more than the limit. */
  static final int EVICTIONS_PER_LOGIN = 16;

  /** The most index entries below now - skew one login reads to prune. */
  static final int PRUNE_PER_CALL = 32;

  /** Rounds of "declare these keys" a login accepts before giving up. */
  private static final int MAX_KEY_ROUNDS = 32;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every slot tag there is: 12 bits. */
  private static final int TAGS = 1 << (6 * Digests.TAG_CHARS);

  private final RedisConnector connector;
  private final boolean ownsConnector;
  private final RedisIo io;
  private final Keys keys;
  private final SessionConfig config;
  private final SessionIdGenerator ids;
  private final AttributeCodec codec;
  private final Timeouts defaults;
  private final Events events;

  /** Checks, encoding, id-draw limit and open/closed state shared with every store. */
  private final SessionStoreCore core;

  private final long skewMillis;
  private final boolean counting;
  private final SessionReader reader;

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
    this.core = SessionStoreCore.of(config);
    this.skewMillis = config.clockSkew().toMillis();
    this.counting = connector.options().counting() == RedisOptions.Counting.EXACT;
    this.reader = new SessionReader(io, keys, config, events, counting);
  }

  /**
   * A store on a shared connector, which the caller keeps and closes after the store.
   *
   * @param connector the connection to Redis
   * @param config the session configuration
   * @return the store
   */
  public static RedisSessionStore create(RedisConnector connector, SessionConfig config) {
    return new RedisSessionStore(
        Objects.requireNonNull(connector, "connector"),
        false,
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

  /**
   * @return the connector this store uses
   */
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

  /** The common ARGV[1..5]: {@link #common} and the clock skew in ms. */
  private List<String> commonWithSkew(long now, String tag) {
    List<String> a = common(now, tag);
    a.add(Long.toString(skewMillis));
    return a;
  }

  /**
   * A script's keys, followed by the slot's two count sets when the deployment counts sessions
   * ({@link RedisOptions.Counting#EXACT}): the scripts find them as their last two KEYS.
   */
  private List<String> counted(String tag, String... scriptKeys) {
    List<String> k = new ArrayList<>(scriptKeys.length + 2);
    Collections.addAll(k, scriptKeys);
    return counted(tag, k);
  }

  /** {@code scriptKeys} followed by the slot's two count sets when counting (a new list). */
  private List<String> counted(String tag, List<String> scriptKeys) {
    List<String> k = new ArrayList<>(scriptKeys);
    if (counting) {
      k.add(keys.countedSessions(tag));
      k.add(keys.countedUsers(tag));
    }
    return k;
  }

  @Contract("null, _ -> false")
  private boolean wellFormed(@Nullable String id, String source) {
    return core.acceptId(id, source);
  }

  private static EndReason reason(String code) {
    return Fields.reason(code);
  }

  private static String code(EndReason reason) {
    return Fields.code(reason);
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
    events.ended(
        handle, userOrNull(r.get(2)), Instant.ofEpochMilli(now), reason(String.valueOf(r.get(1))));
  }

  /**
   * Encodes the attributes a change sets, each once ({@link
   * SessionStoreCore#encode(SessionChanges)}), after checking that the store is open; for {@link
   * #updateEncoded}.
   */
  Map<String, String> encode(SessionChanges changes) {
    ensureOpen();
    return core.encode(changes);
  }

  private static String orEmpty(Optional<String> s) {
    return s.orElse("");
  }

  private void ensureOpen() {
    core.ensureOpen();
  }

  // ---------------------------------------------------------------------------------------------
  // SessionStore

  @Override
  public Session create(SessionChanges initial) {
    Objects.requireNonNull(initial, "initial");
    ensureOpen();
    List<String> fields = new ArrayList<>();
    long size = 0;
    for (Map.Entry<String, String> e : core.encode(initial).entrySet()) {
      fields.add(Codec.ATTRIBUTE + e.getKey());
      fields.add(e.getValue());
      size += SessionStoreCore.sizeOf(e.getKey(), e.getValue());
    }
    core.checkSize(size);
    long now = now();
    Timeouts t = initial.timeouts().orElse(defaults);
    List<String> sys =
        new ArrayList<>(
            List.of(Fields.CREATED, Long.toString(now), Fields.LAST_ACCESS, Long.toString(now)));
    if (size > 0) {
      sys.add(Fields.SIZE);
      sys.add(Long.toString(size));
    }
    initial
        .timeouts()
        .ifPresent(
            o -> {
              sys.add(Fields.TIMEOUTS);
              sys.add(Codec.encodeTimeouts(o));
            });
    addMetadata(sys, initial.metadata().orElse(SessionMetadata.empty()));
    sys.addAll(fields);
    Instant at = Instant.ofEpochMilli(now);
    long ttl = Math.max(1, t.expiresAt(at, at).toEpochMilli() - now + skewMillis);
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      String id = ids.newAnonymousId();
      String tag = SessionIdGenerator.tagOf(id);
      String handle = Digests.handleOf(id);
      List<String> args = common(now, tag);
      args.add(Long.toString(ttl));
      args.addAll(sys);
      long created =
          io.evalLong(
              LuaScript.CREATE,
              counted(tag, keys.session(tag, handle), keys.tombstone(tag, handle)),
              args);
      if (created == 1) {
        Session s = snapshot(id, toMap(sys));
        events.created(s.handle(), null, at);
        return s;
      }
    }
    throw core.idsExhausted();
  }

  /**
   * A session snapshot from its hash, whose codec reports stored values it refuses to the listeners
   * ({@code attributeRejected}).
   */
  private Session snapshot(String id, Map<String, String> hash) {
    String user = hash.get(Fields.USER);
    return Codec.session(
        id,
        hash,
        new ReportingCodec(
            codec,
            events,
            Digests.handleOf(id),
            user == null || user.isEmpty() ? null : user,
            config.clock()),
        defaults);
  }

  private static Map<String, String> toMap(List<String> flat) {
    return Codec.toMap(flat);
  }

  private static void addMetadata(List<String> fields, SessionMetadata m) {
    m.deviceType().ifPresent(v -> fields.addAll(List.of(Fields.DEVICE_TYPE, v)));
    m.deviceLabel().ifPresent(v -> fields.addAll(List.of(Fields.DEVICE_LABEL, v)));
    m.userAgent().ifPresent(v -> fields.addAll(List.of(Fields.USER_AGENT, v)));
    m.address().ifPresent(v -> fields.addAll(List.of(Fields.ADDRESS, v)));
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

  /**
   * @return the access path (a plain HGETALL, a script only when the hash must change)
   */
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
    return updateEncoded(id, changes, encode(changes));
  }

  /**
   * {@link #update} of a well-formed id whose set attributes the caller encoded with {@link
   * #encode(SessionChanges)}: the near cache encodes once and patches its entry with the same
   * encodings.
   */
  boolean updateEncoded(String id, SessionChanges changes, Map<String, String> encoded) {
    List<String> sets = new ArrayList<>();
    for (Map.Entry<String, String> e : encoded.entrySet()) {
      sets.add(Codec.ATTRIBUTE + e.getKey());
      sets.add(e.getValue());
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
    args.add(Long.toString(skewMillis));
    for (String name : changes.removals()) {
      args.add(Codec.ATTRIBUTE + name);
    }
    List<String> k = new ArrayList<>(List.of(keys.session(tag, handle)));
    List<Object> r = io.evalList(LuaScript.UPDATE, counted(tag, k), args);
    if (asLong(r.get(0)) == -3) {
      // New timeouts of a user's session: its index entry is rescored, so the index is declared.
      k.add(keys.userIndex(tag, String.valueOf(r.get(1))));
      r = io.evalList(LuaScript.UPDATE, counted(tag, k), args);
    }
    long code = asLong(r.get(0));
    if (code == -4) {
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
    String index = null;
    String newId = null;
    int draws = 0;
    while (true) {
      if (newId == null) {
        if (draws == MAX_ID_ATTEMPTS) {
          throw core.idsExhausted();
        }
        newId = ids.newIdLike(id);
        draws++;
      }
      String newHandle = Digests.handleOf(newId);
      List<String> args = commonWithSkew(now, tag);
      args.add(oldHandle);
      args.add(newHandle);
      List<String> k =
          new ArrayList<>(
              List.of(
                  keys.session(tag, oldHandle),
                  keys.session(tag, newHandle),
                  keys.tombstone(tag, newHandle)));
      if (index != null) {
        k.add(index);
      }
      List<Object> r = io.evalList(LuaScript.RENEW, counted(tag, k), args);
      long code = asLong(r.get(0));
      if (code == -3 && index == null) {
        // A user's session: its index entry moves too, so the index is declared (second call, same
        // new id: the script changed nothing).
        index = keys.userIndex(tag, String.valueOf(r.get(1)));
        continue;
      }
      if (code == -1 || code == -3) {
        newId = null;
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
    SessionMetadata md = options.metadata();
    if (currentId != null && wellFormed(currentId, "login")) {
      oldTag = SessionIdGenerator.tagOf(currentId);
      oldHandle = Digests.handleOf(currentId);
      if (oldTag.equals(userTag)) {
        mode = "L";
      } else {
        // The current session lives in another slot: read it where it is and leave it there,
        // alive, until the login is accepted; only then is it retired. A refused login changes
        // nothing, so nothing ever has to be put back (and nothing can come back).
        // Nothing to read when the login takes nothing from it (no carry-over, its own metadata).
        boolean inherits = options.keepAttributes() || md.isEmpty();
        Map<String, String> old = inherits ? io.hgetall(keys.session(oldTag, oldHandle)) : Map.of();
        if (!inherits) {
          mode = "C";
        } else if (!old.isEmpty()) {
          mode = "C";
          String owner = old.get(Fields.USER);
          boolean lends =
              liveHere(oldHandle, old, now)
                  && (owner == null || owner.isEmpty() || owner.equals(userId));
          if (lends) {
            carried = carriedFields(old, options);
            if (md.isEmpty()) {
              md =
                  Codec.metadata(
                      old.get(Fields.DEVICE_TYPE),
                      old.get(Fields.DEVICE_LABEL),
                      old.get(Fields.USER_AGENT),
                      old.get(Fields.ADDRESS));
            }
          }
        }
      }
    }
    LoginPolicy policy = config.loginPolicy();
    int maxU = policy.maxSessionsPerUser().orElse(0);
    int reads =
        maxU > 0
            ? Math.min(maxU + EVICTIONS_PER_LOGIN, LoginPolicy.MAX_LIMIT + EVICTIONS_PER_LOGIN)
            : LoginPolicy.MAX_LIMIT + EVICTIONS_PER_LOGIN;
    List<String> declared = List.of();
    int keyRounds = 0;
    int draws = 0;
    while (true) {
      String newId = ids.newIdForUser(userId);
      String newHandle = Digests.handleOf(newId);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("h", newHandle);
      p.put("u", userId);
      p.put("k", Keys.userDigest(userId));
      p.put("mu", maxU);
      p.put("md", policy.maxSessionsPerDeviceType().orElse(0));
      p.put("rj", policy.onLimit() == OnLimit.REJECT_NEW);
      p.put("tt", config.tombstoneTtl().toMillis());
      p.put("o", options.timeouts().map(Codec::encodeTimeouts).orElse(""));
      p.put(
          "m",
          md.isEmpty() && mode.equals("L")
              ? List.of()
              : List.of(
                  orEmpty(md.deviceType()),
                  orEmpty(md.deviceLabel()),
                  orEmpty(md.userAgent()),
                  orEmpty(md.address())));
      p.put("old", mode.equals("N") ? "" : oldHandle);
      p.put("mode", mode);
      p.put("cf", carried);
      p.put(
          "cm",
          switch (options.carryOver()) {
            case NONE -> "N";
            case ALL -> "A";
            case LISTED -> "S";
          });
      List<String> names = new ArrayList<>();
      options.carriedNames().forEach(n -> names.add(Codec.ATTRIBUTE + n));
      p.put("cn", names);
      p.put("rd", reads);
      p.put("ev", EVICTIONS_PER_LOGIN);
      p.put("pr", PRUNE_PER_CALL);
      p.put("dh", declared);
      List<String> k =
          new ArrayList<>(
              List.of(
                  keys.session(userTag, newHandle),
                  keys.tombstone(userTag, newHandle),
                  keys.userIndex(userId),
                  mode.equals("L")
                      ? keys.session(userTag, oldHandle)
                      : keys.session(userTag, newHandle)));
      for (String h : declared) {
        k.add(keys.session(userTag, h));
        k.add(keys.tombstone(userTag, h));
      }
      List<String> args = commonWithSkew(now, userTag);
      args.add(json(p));
      List<Object> r = io.evalList(LuaScript.LOGIN, counted(userTag, k), args);
      long code = asLong(r.get(0));
      if (code == -1) {
        if (++draws >= MAX_ID_ATTEMPTS) {
          throw core.idsExhausted();
        }
        continue;
      }
      if (code == -3) {
        // The script must read some of the user's sessions (to prune, count or evict): run it
        // again with their keys declared; it re-checks them, so a change meanwhile only costs a
        // round.
        if (++keyRounds > MAX_KEY_ROUNDS) {
          throw new StoreUnavailableException(
              "the sessions of a user changed during "
                  + MAX_KEY_ROUNDS
                  + " login attempts in a row; try again",
              null);
        }
        // Keep what was declared: logins racing on other servers add sessions between rounds, and
        // a superset only costs the key names.
        LinkedHashSet<String> want = new LinkedHashSet<>(declared);
        for (int i = 1; i < r.size(); i++) {
          want.add(String.valueOf(r.get(i)));
        }
        declared = new ArrayList<>(want);
        continue;
      }
      if (code == -2) {
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
      if (mode.equals("C") && oldTag != null) {
        retired = retire(oldTag, oldHandle, now);
      }
      // A login that carries a live session over renews its id: the same session under a new
      // handle,
      // not a new one (as the in-memory store reports it), so created minus ended stays the live
      // count.
      if (retired) {
        events.idChanged(s.handle(), userId, at, oldHandle);
      } else {
        events.created(s.handle(), userId, at);
      }
      if (retired || !evicted.isEmpty()) {
        // An evicted session or a retired id must not come back after a failover: the same
        // durability as a logout, and a failure is the caller's to see.
        connector.replicaWait().await("login");
      }
      return new LoginResult.Accepted(s, evicted);
    }
  }

  /** Whether a session hash read here is live by this server's clock. */
  private boolean liveHere(String handle, Map<String, String> hash, long now) {
    return Codec.info(handle, hash, defaults).expiresAt().toEpochMilli() > now;
  }

  /**
   * The fields a login copies from an anonymous (or the same user's) session in another slot, with
   * their size field: what the options allow.
   */
  private static List<String> carriedFields(Map<String, String> old, LoginOptions options) {
    List<String> out = new ArrayList<>();
    long size = 0;
    for (Map.Entry<String, String> e : old.entrySet()) {
      if (e.getKey().startsWith(Codec.ATTRIBUTE)) {
        String name = e.getKey().substring(Codec.ATTRIBUTE.length());
        if (options.carries(name)) {
          out.add(e.getKey());
          out.add(e.getValue());
          size += SessionStoreCore.sizeOf(name, e.getValue());
        }
      }
    }
    if (size > 0) {
      out.add(Fields.SIZE);
      out.add(Long.toString(size));
    }
    return out;
  }

  /** Retires the id a login replaced, in its own slot, after the login was accepted. */
  private boolean retire(String tag, String handle, long now) {
    List<String> args = commonWithSkew(now, tag);
    args.add(handle);
    args.add(code(EndReason.LOGOUT));
    args.add("0");
    args.add("");
    List<Object> r = evalDelete(tag, handle, args, null);
    long code = asLong(r.get(0));
    if (code == 2) {
      reportExpired(r, handle, now);
    }
    return code == 1;
  }

  private static String json(Map<String, Object> p) {
    try {
      return JSON.writeValueAsString(p);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("login options could not be written as JSON", e);
    }
  }

  private void checkUserId(String userId) {
    core.checkUserId(userId);
  }

  @Override
  public boolean delete(@Nullable String id, EndReason reason) {
    Objects.requireNonNull(reason, "reason");
    if (!wellFormed(id, "delete")) {
      return false;
    }
    ensureOpen();
    String tag = SessionIdGenerator.tagOf(id);
    return durable(deleteOne(tag, Digests.handleOf(id), reason, "", null), "delete");
  }

  /** Waits for the replicas if the call ended a session (see {@link RedisOptions.Durability}). */
  private boolean durable(boolean ended, String what) {
    if (ended) {
      connector.replicaWait().await(what);
    }
    return ended;
  }

  /**
   * Runs delete.lua; with counting, a user's session whose index was not declared answers -3 with
   * the user's digest (nothing changed) and is run once more with the index, so that the user's
   * count is recomputed in the same step as the session ends.
   */
  private List<Object> evalDelete(
      String tag, String handle, List<String> args, @Nullable String index) {
    List<String> k =
        new ArrayList<>(List.of(keys.session(tag, handle), keys.tombstone(tag, handle)));
    if (index != null) {
      k.add(index);
    }
    List<Object> r = io.evalList(LuaScript.DELETE, counted(tag, k), args);
    if (asLong(r.get(0)) == -3 && index == null) {
      k.add(keys.userIndex(tag, String.valueOf(r.get(1))));
      r = io.evalList(LuaScript.DELETE, counted(tag, k), args);
    }
    return r;
  }

  private boolean deleteOne(
      String tag, String handle, EndReason reason, String owner, @Nullable String index) {
    long now = now();
    List<String> args = commonWithSkew(now, tag);
    args.add(handle);
    args.add(code(reason));
    args.add(Long.toString(reason.isExpiry() ? 0 : config.tombstoneTtl().toMillis()));
    args.add(owner);
    List<Object> r = evalDelete(tag, handle, args, index);
    long code = asLong(r.get(0));
    if (code == 2) {
      reportExpired(r, handle, now);
    } else if (code == 1) {
      events.ended(handle, userOrNull(r.get(1)), Instant.ofEpochMilli(now), reason);
    }
    return code == 1;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Lists at most {@value #MAX_LISTED} sessions (those whose index entries expire last), in two
   * commands: the index, then one script over the sessions it names.
   */
  @Override
  public List<SessionInfo> listForUser(String userId) {
    checkUserId(userId);
    ensureOpen();
    long now = now();
    String tag = Digests.tagForUser(userId);
    String index = keys.userIndex(userId);
    List<String> handles = io.zrevrange(index, MAX_LISTED);
    if (handles.isEmpty()) {
      return List.of();
    }
    List<String> k = new ArrayList<>(handles.size() + 1);
    k.add(index);
    for (String h : handles) {
      k.add(keys.session(tag, h));
    }
    List<String> args = commonWithSkew(now, tag);
    args.add(userId);
    args.addAll(handles);
    List<Object> r = io.evalList(LuaScript.LIST, k, args);
    List<SessionInfo> out = new ArrayList<>();
    int stride = Fields.LISTED.size() + 1;
    for (int i = 0; i + stride - 1 < r.size(); i += stride) {
      Map<String, String> m = new HashMap<>();
      for (int j = 0; j < Fields.LISTED.size(); j++) {
        m.put(Fields.LISTED.get(j), String.valueOf(r.get(i + 1 + j)));
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
    return durable(
        deleteOne(Digests.tagForUser(userId), handle, reason, userId, keys.userIndex(userId)),
        "deleteByHandle");
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
   * watermark (in the first step). Runs bounded steps of at most {@value #END_ALL_BATCH} sessions
   * each, every step naming the next sessions so that the following one declares their keys, and
   * returns only when the user's index holds no session but the kept one.
   *
   * @throws StoreUnavailableException if sessions kept appearing (logins racing the call) for more
   *     steps than the index held at first allows; what was ended stays ended, and a retry goes on
   */
  EndAll endAll(
      String userId,
      @Nullable String keepId,
      EndReason reason,
      @Nullable String watermarkStamp,
      long watermarkTtlMillis) {
    long now = now();
    String tag = Digests.tagForUser(userId);
    String keep = "";
    if (keepId != null && ids.isWellFormed(keepId)) {
      keep = Digests.handleOf(keepId);
    }
    Instant at = Instant.ofEpochMilli(now);
    List<String> ended = new ArrayList<>();
    String stamp = "";
    List<String> next = List.of();
    long maxSteps = -1;
    for (long step = 0; ; step++) {
      List<String> args = commonWithSkew(now, tag);
      args.add(code(reason));
      args.add(Long.toString(reason.isExpiry() ? 0 : config.tombstoneTtl().toMillis()));
      args.add(keep);
      args.add(step == 0 && watermarkStamp != null ? watermarkStamp : "");
      args.add(Long.toString(watermarkTtlMillis));
      args.add(Integer.toString(END_ALL_BATCH));
      args.addAll(next);
      List<String> k = new ArrayList<>(2 + 2 * next.size());
      k.add(keys.userIndex(userId));
      k.add(keys.userWatermark(userId));
      for (String h : next) {
        k.add(keys.session(tag, h));
        k.add(keys.tombstone(tag, h));
      }
      List<Object> r = io.evalList(LuaScript.DELETE_ALL, counted(tag, k), args);
      if (step == 0) {
        stamp = String.valueOf(r.get(0));
        maxSteps = asLong(r.get(3)) / END_ALL_BATCH + 16;
      }
      for (Object o : (List<?>) r.get(1)) {
        String h = String.valueOf(o);
        ended.add(h);
        events.ended(h, userId, at, reason);
      }
      List<String> more = new ArrayList<>();
      for (Object o : (List<?>) r.get(2)) {
        more.add(String.valueOf(o));
      }
      if (more.isEmpty()) {
        return new EndAll(stamp, ended);
      }
      if (step >= maxSteps) {
        throw new StoreUnavailableException(
            "new sessions of the user kept appearing while ending them all ("
                + ended.size()
                + " ended); try again",
            null);
      }
      next = more;
    }
  }

  /**
   * What {@link #endAll} did: the watermark stamp in force ('' if none was raised), the handles
   * ended.
   */
  record EndAll(String watermarkStamp, List<String> ended) {}

  /**
   * Counts the live sessions and signed-in users of every server sharing this key prefix, from the
   * count sets the scripts keep under {@link RedisOptions.Counting#EXACT}: exact (a session counts
   * until the instant it expires, by this store's clock), with no {@code SCAN} or {@code KEYS}.
   * Costs 8,192 {@code ZCOUNT}s (two per slot): on a standalone or Sentinel server inside one
   * read-only script (one command), on Cluster pipelined on the shared connection. A few
   * milliseconds of Redis time, meant for a gauge read every few seconds ({@code
   * SessionCountMetrics} caches a reading), not for a request path.
   *
   * @return the counts
   * @throws IllegalStateException if counting is {@link RedisOptions.Counting#OFF}
   * @throws io.sessionkit.core.StoreUnavailableException if Redis cannot be reached
   */
  @Override
  public SessionCounts countSessions() {
    if (!counting) {
      throw new IllegalStateException(
          "session counting is off: build every server's RedisOptions with "
              + "counting(RedisOptions.Counting.EXACT)");
    }
    ensureOpen();
    long now = now();
    List<String> sessionSets = new ArrayList<>(TAGS);
    List<String> userSets = new ArrayList<>(TAGS);
    for (int t = 0; t < TAGS; t++) {
      String tag = Digests.tagOf(t);
      sessionSets.add(keys.countedSessions(tag));
      userSets.add(keys.countedUsers(tag));
    }
    if (connector.options().topology() != RedisOptions.Topology.CLUSTER) {
      List<String> all = new ArrayList<>(sessionSets);
      all.addAll(userSets);
      List<Object> r =
          io.evalList(LuaScript.COUNT, all, List.of(Long.toString(now), Integer.toString(TAGS)));
      return new SessionCounts(asLong(r.get(0)), asLong(r.get(1)), Instant.ofEpochMilli(now));
    }
    long live = io.zcountSum(sessionSets, now);
    long users = io.zcountSum(userSets, now);
    return new SessionCounts(live, users, Instant.ofEpochMilli(now));
  }

  /** Closes the connector if this store created it. Idempotent. */
  @Override
  public void close() {
    if (core.close() && ownsConnector) {
      connector.close();
    }
  }

  @Override
  public String toString() {
    return "RedisSessionStore{" + connector.options() + '}';
  }
}
