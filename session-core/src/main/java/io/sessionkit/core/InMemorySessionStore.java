package io.sessionkit.core;

import static io.sessionkit.core.internal.Instants.plus;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.sessionkit.core.internal.ClockTicker;
import io.sessionkit.core.internal.Contract;
import io.sessionkit.core.internal.TagLocks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionStore} kept in this JVM's memory: the embedded default for a single node, for
 * tests and for development. It honours the whole {@link SessionStore} contract; it does not share
 * sessions between processes (use the {@code session-redis} module for that).
 *
 * <p><b>Storage.</b> Sessions live in a bounded Caffeine cache keyed by their handle ({@link
 * Session#handle()}, a digest of the id), so memory never holds a session id and no secret is ever
 * compared with {@code String.equals}. Attributes are kept encoded; the codec runs at write time,
 * so a value that cannot be encoded, or a session that would exceed {@link
 * SessionConfig#maxSessionBytes()}, fails before anything is written. A per-user index (user id to
 * handles) serves {@link #listForUser}, the login limits and {@link #deleteAllForUser}; it is
 * pruned as it is read.
 *
 * <p><b>Time.</b> Every expiry is evaluated against {@link SessionConfig#clock()}, and the caches
 * read the same clock through their ticker, so a test that moves a mutable clock sees sessions and
 * tombstones expire without sleeping. An expired session stays in memory for {@link
 * SessionConfig#tombstoneTtl()} after its expiry, so that a request presenting its id in that time
 * learns why it ended ({@link EndReason#IDLE_TIMEOUT} or {@link EndReason#ABSOLUTE_TIMEOUT}); it is
 * removed then, and {@code sessionEnded} fires. Tombstones of other end reasons last {@code
 * tombstoneTtl}.
 *
 * <p><b>Atomicity.</b> Every session lives under the slot tag of its id, and every session of a
 * user under the user's tag. Each operation holds the lock of the tag it touches (4096 locks, one
 * per tag; a login that moves an anonymous session to its user's tag holds both, in a fixed order),
 * which mirrors the Redis store, where each script runs atomically within one hash slot. So updates
 * never resurrect a deleted or expired session, concurrent updates of different attributes all
 * land, and racing logins never exceed a {@link LoginPolicy} limit.
 *
 * <p><b>Bound.</b> At most {@code maximumSessions} sessions are held (default {@value
 * #DEFAULT_MAXIMUM_SESSIONS}); beyond that Caffeine evicts the sessions it judges least likely to
 * be used again, as a Redis server at {@code maxmemory} would. Size the bound for your peak, or use
 * Redis.
 *
 * <p><b>Bad input.</b> A malformed id is rejected before any map is touched: {@link
 * #backendOperations()} does not move, and {@link SessionListener#invalidIdPresented} fires with
 * the name of the method.
 *
 * <p><b>Login.</b> The new session gets a new id in the user's tag, {@code createdAt}, {@code
 * lastAccessedAt} and {@code authenticatedAt} of now, the timeouts of the options or else the
 * policy's, the metadata of the options or, if those are empty, of the current session, and (unless
 * the options say otherwise) the current session's attributes. Sessions are counted against the
 * limits after pruning expired ones and leaving out the current session, which dies with the login;
 * {@link OnLimit#EVICT_OLDEST} first makes room within the device type, then within the user. Under
 * {@link OnLimit#REJECT_NEW} the per-user limit is reported before the per-device-type one.
 *
 * <p><b>Events.</b> {@code sessionCreated} for {@link #create} and for every accepted login,
 * followed for a login that retired a live current session by {@code sessionIdChanged} from its
 * handle (see {@link SessionStoreCore}); {@code sessionIdChanged} alone for {@link #renewId};
 * {@code sessionEnded} for every session this store ends, including one it finds expired when its
 * id is presented or its user's index is read (with {@link EndReason#IDLE_TIMEOUT} or {@link
 * EndReason#ABSOLUTE_TIMEOUT}). Sessions that the cache drops on its own (past the bound, or
 * expired and never presented) end silently, as a Redis key whose TTL ran out does. Listeners are
 * called on the calling thread after the operation took effect and after its locks were released.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * SessionStore store = InMemorySessionStore.create(SessionConfig.defaults());
 * Session s = store.create();
 * AccessResult r = store.access(s.id());
 * }</pre>
 */
// "try": the try-with-resources blocks hold tag locks; the resource is the critical section's
// scope.
@SuppressWarnings("try")
public final class InMemorySessionStore implements SessionStore, SessionCounting {
  /** The default bound on the number of sessions held: {@value}. */
  public static final int DEFAULT_MAXIMUM_SESSIONS = 100_000;

  /** Index entries of evicted sessions cleaned per call, so that no call pays for a backlog. */
  private static final int ORPHANS_PER_CALL = 32;

  private final SessionConfig config;
  private final SessionIdGenerator ids;
  private final AttributeCodec codec;

  /** Checks, encoding, id-draw limit, events and open/closed state shared with every store. */
  private final SessionStoreCore core;

  private final SessionListener events;
  private final TagLocks locks = new TagLocks();
  private final Cache<String, Stored> sessions;
  private final Cache<String, EndReason> tombstones;

  /** User id to the handles of the user's sessions; each set is guarded by the user's tag lock. */
  private final ConcurrentHashMap<String, Set<String>> byUser = new ConcurrentHashMap<>();

  /** Sessions Caffeine evicted on its own (bound, expiry), whose index entries are still to go. */
  private final ConcurrentLinkedQueue<Orphan> orphans = new ConcurrentLinkedQueue<>();

  private final LongAdder operations = new LongAdder();

  private InMemorySessionStore(SessionConfig config, int maximumSessions) {
    this.config = config;
    this.ids = config.idGenerator();
    this.codec = config.codec();
    this.core = SessionStoreCore.of(config);
    this.events = core.events();
    Duration retention = config.tombstoneTtl();
    ClockTicker ticker = new ClockTicker(config.clock());
    this.sessions =
        Caffeine.newBuilder()
            .ticker(ticker)
            // Maintenance runs on the calling thread: no background threads, deterministic tests.
            .executor(Runnable::run)
            .maximumSize(maximumSessions)
            .expireAfter(
                new Expiry<String, Stored>() {
                  @Override
                  public long expireAfterCreate(String key, Stored value, long currentTime) {
                    return ClockTicker.nanosUntil(
                        Instant.EPOCH.plusNanos(currentTime), plus(value.expiresAt(), retention));
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, Stored value, long currentTime, long currentDuration) {
                    return expireAfterCreate(key, value, currentTime);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, Stored value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .removalListener(
                (@Nullable String handle, @Nullable Stored value, RemovalCause cause) -> {
                  if (cause.wasEvicted() && value != null && value.userId() != null) {
                    orphans.add(new Orphan(value.userId(), value.handle()));
                  }
                })
            .build();
    this.tombstones =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .maximumSize(maximumSessions)
            // With a zero tombstoneTtl no tombstone is ever written; the cache still needs a
            // duration.
            .expireAfterWrite(retention.isZero() ? Duration.ofNanos(1) : retention)
            .build();
  }

  /**
   * A store holding at most {@value #DEFAULT_MAXIMUM_SESSIONS} sessions.
   *
   * @param config the configuration
   * @return a new, empty store
   */
  public static InMemorySessionStore create(SessionConfig config) {
    return create(config, DEFAULT_MAXIMUM_SESSIONS);
  }

  /**
   * A store holding at most {@code maximumSessions} sessions.
   *
   * @param config the configuration
   * @param maximumSessions the bound, at least 1
   * @return a new, empty store
   * @throws IllegalArgumentException if {@code maximumSessions < 1}
   */
  public static InMemorySessionStore create(SessionConfig config, int maximumSessions) {
    Objects.requireNonNull(config, "config");
    if (maximumSessions < 1) {
      throw new IllegalArgumentException(
          "maximumSessions must be at least 1, was " + maximumSessions);
    }
    return new InMemorySessionStore(config, maximumSessions);
  }

  /**
   * The number of operations that reached the backing maps since this store was created: each read,
   * write or removal of a session, tombstone or user index entry counts one. A metric, and the
   * proof (used by the contract suite) that malformed input is rejected before any storage access:
   * a call with a malformed id never moves it. Housekeeping that the caches do on their own
   * (expiry, eviction, cleaning the index after an eviction) does not count.
   *
   * @return the count, monotonic
   */
  public long backendOperations() {
    return operations.sum();
  }

  @Override
  public SessionConfig config() {
    return config;
  }

  /**
   * Counts the sessions this store holds that are live now, and their distinct users: exact, by the
   * store's clock. Walks the sessions held (at most {@code maximumSessions}) without taking any
   * lock, so its cost grows with their number (about a millisecond per 100,000 on a laptop): poll
   * it from a gauge every few seconds, not on a request path. Does not move {@link
   * #backendOperations()}.
   *
   * @return the counts
   */
  @Override
  public SessionCounts countSessions() {
    Instant now = now();
    long live = 0;
    Set<String> users = new HashSet<>();
    for (Stored s : sessions.asMap().values()) {
      if (!s.isExpiredAt(now)) {
        live++;
        if (s.userId() != null) {
          users.add(s.userId());
        }
      }
    }
    return new SessionCounts(live, users.size(), now);
  }

  /**
   * Closes the store: every later call throws {@link IllegalStateException}, as with every store.
   * The sessions are dropped with the store. Idempotent.
   */
  @Override
  public void close() {
    if (core.close()) {
      sessions.invalidateAll();
      tombstones.invalidateAll();
      byUser.clear();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // SessionStore

  @Override
  public Session create(SessionChanges initial) {
    Objects.requireNonNull(initial, "initial");
    core.ensureOpen();
    Map<String, String> attributes = core.encode(initial);
    core.checkSize(SessionStoreCore.sizeOf(attributes));
    Instant now = now();
    Timeouts timeouts = initial.timeouts().orElse(config.ttlPolicy().timeouts());
    SessionMetadata metadata = initial.metadata().orElse(SessionMetadata.empty());
    for (int draw = 1; ; draw++) {
      String id = ids.newAnonymousId();
      Stored rec =
          new Stored(Digests.handleOf(id), null, now, now, null, timeouts, metadata, attributes);
      boolean claimed;
      try (TagLocks.Held held = locks.lock(SessionIdGenerator.tagOf(id))) {
        claimed = claim(rec);
      }
      if (claimed) {
        events.sessionCreated(new SessionEvent(rec.handle(), null, now));
        drainOrphans();
        return rec.toSession(id, codec);
      }
      core.checkIdDraws(draw);
    }
  }

  @Override
  public AccessResult access(@Nullable String id, AccessMode mode) {
    Objects.requireNonNull(mode, "mode");
    if (!wellFormed(id, "access")) {
      return AccessResult.absent();
    }
    String handle = Digests.handleOf(id);
    Instant now = now();
    List<Runnable> after = new ArrayList<>(1);
    AccessResult result;
    try (TagLocks.Held held = locks.lock(SessionIdGenerator.tagOf(id))) {
      Stored rec = sessionGet(handle);
      if (rec == null) {
        EndReason reason = tombstoneGet(handle);
        result = reason == null ? AccessResult.absent() : AccessResult.ended(reason);
      } else if (rec.isExpiredAt(now)) {
        result = AccessResult.ended(expire(rec, now, after));
      } else {
        if (mode == AccessMode.EXTEND
            && config.ttlPolicy().isTouchDue(rec.timeouts(), rec.lastAccessedAt(), now)) {
          rec = rec.touched(now);
          sessionPut(rec);
        }
        result = AccessResult.active(rec.toSession(id, codec));
      }
    }
    after.forEach(Runnable::run);
    drainOrphans();
    return result;
  }

  @Override
  public boolean update(@Nullable String id, SessionChanges changes) {
    Objects.requireNonNull(changes, "changes");
    if (!wellFormed(id, "update")) {
      return false;
    }
    // Encoding is the application's code and may be slow: do it before taking the lock.
    Map<String, String> sets = core.encode(changes);
    String handle = Digests.handleOf(id);
    Instant now = now();
    List<Runnable> after = new ArrayList<>(1);
    boolean updated;
    try (TagLocks.Held held = locks.lock(SessionIdGenerator.tagOf(id))) {
      Stored rec = sessionGet(handle);
      if (rec == null) {
        updated = false;
      } else if (rec.isExpiredAt(now)) {
        expire(rec, now, after);
        updated = false;
      } else {
        if (!changes.isEmpty()) {
          Map<String, String> attributes = new LinkedHashMap<>(rec.attributes());
          changes.removals().forEach(attributes::remove);
          attributes.putAll(sets);
          core.checkSize(SessionStoreCore.sizeOf(attributes));
          sessionPut(
              rec.with(
                  attributes,
                  changes.timeouts().orElse(rec.timeouts()),
                  changes.metadata().orElse(rec.metadata())));
        }
        updated = true;
      }
    }
    after.forEach(Runnable::run);
    drainOrphans();
    return updated;
  }

  @Override
  public Optional<Session> renewId(@Nullable String id) {
    if (!wellFormed(id, "renewId")) {
      return Optional.empty();
    }
    String handle = Digests.handleOf(id);
    Instant now = now();
    List<Runnable> after = new ArrayList<>(1);
    Session renewed = null;
    try (TagLocks.Held held = locks.lock(SessionIdGenerator.tagOf(id))) {
      Stored rec = sessionGet(handle);
      if (rec != null && rec.isExpiredAt(now)) {
        expire(rec, now, after);
      } else if (rec != null) {
        for (int draw = 1; renewed == null; draw++) {
          String newId = ids.newIdLike(id);
          Stored moved = rec.withHandle(Digests.handleOf(newId));
          if (claim(moved)) {
            sessionRemove(handle);
            String userId = rec.userId();
            if (userId != null) {
              indexRemove(userId, handle);
              indexAdd(userId, moved.handle());
            }
            renewed = moved.toSession(newId, codec);
            after.add(
                () ->
                    events.sessionIdChanged(new SessionEvent(moved.handle(), userId, now), handle));
          } else {
            core.checkIdDraws(draw);
          }
        }
      }
    }
    after.forEach(Runnable::run);
    drainOrphans();
    return Optional.ofNullable(renewed);
  }

  @Override
  public LoginResult login(@Nullable String currentId, String userId, LoginOptions options) {
    UserIds.requireValid(userId);
    Objects.requireNonNull(options, "options");
    core.ensureOpen();
    String current = currentId != null && wellFormed(currentId, "login") ? currentId : null;
    String userTag = Digests.tagForUser(userId);
    Instant now = now();
    List<Runnable> after = new ArrayList<>();
    LoginResult result;
    try (TagLocks.Held held =
        current == null
            ? locks.lock(userTag)
            : locks.lock(SessionIdGenerator.tagOf(current), userTag)) {
      Stored cur = null;
      if (current != null) {
        cur = sessionGet(Digests.handleOf(current));
        if (cur != null && cur.isExpiredAt(now)) {
          expire(cur, now, after);
          cur = null;
        }
      }
      String curHandle = cur == null ? null : cur.handle();
      // Without a limit there is nothing to count: skip reading the user's sessions.
      List<Stored> others =
          config.loginPolicy().isLimited()
              ? liveSessionsOf(userId, now, after)
              : new ArrayList<>(0);
      // The current session dies with this login, so it never counts against the limit.
      others.removeIf(s -> s.handle().equals(curHandle));
      // Another user's device details are not this user's: only an anonymous or own session lends
      // them.
      boolean ownOrAnonymous = cur != null && (cur.userId() == null || userId.equals(cur.userId()));
      SessionMetadata metadata =
          options.metadata().isEmpty() && ownOrAnonymous && cur != null
              ? cur.metadata()
              : options.metadata();
      Limits limits = limits(others, metadata.deviceType().orElse(null));
      if (limits.rejected != null) {
        result = limits.rejected;
        after.add(() -> events.loginRejected(userId));
      } else {
        Map<String, String> attributes = carried(cur, userId, options);
        Timeouts timeouts = options.timeouts().orElse(config.ttlPolicy().timeouts());
        String newId;
        Stored rec;
        for (int draw = 1; ; draw++) {
          String candidate = ids.newIdForUser(userId);
          Stored r =
              new Stored(
                  Digests.handleOf(candidate),
                  userId,
                  now,
                  now,
                  now,
                  timeouts,
                  metadata,
                  attributes);
          if (claim(r)) {
            newId = candidate;
            rec = r;
            break;
          }
          core.checkIdDraws(draw);
        }
        if (cur != null) {
          sessionRemove(cur.handle());
          String previousUser = cur.userId();
          if (previousUser != null) {
            indexRemove(previousUser, cur.handle());
          }
        }
        List<SessionInfo> evicted = new ArrayList<>(limits.evict.size());
        for (Stored victim : limits.evict) {
          end(victim, EndReason.REPLACED, now, after);
          evicted.add(victim.info());
        }
        indexAdd(userId, rec.handle());
        String newHandle = rec.handle();
        after.add(() -> core.loginAccepted(newHandle, userId, now, curHandle));
        result = new LoginResult.Accepted(rec.toSession(newId, codec), evicted);
      }
    }
    after.forEach(Runnable::run);
    drainOrphans();
    return result;
  }

  @Override
  public boolean delete(@Nullable String id, EndReason reason) {
    Objects.requireNonNull(reason, "reason");
    if (!wellFormed(id, "delete")) {
      return false;
    }
    String handle = Digests.handleOf(id);
    Instant now = now();
    List<Runnable> after = new ArrayList<>(1);
    boolean ended = false;
    try (TagLocks.Held held = locks.lock(SessionIdGenerator.tagOf(id))) {
      Stored rec = sessionGet(handle);
      if (rec != null && rec.isExpiredAt(now)) {
        expire(rec, now, after);
      } else if (rec != null) {
        end(rec, reason, now, after);
        ended = true;
      }
    }
    after.forEach(Runnable::run);
    drainOrphans();
    return ended;
  }

  @Override
  public List<SessionInfo> listForUser(String userId) {
    core.checkUserId(userId);
    Instant now = now();
    List<Runnable> after = new ArrayList<>();
    List<SessionInfo> infos = new ArrayList<>();
    try (TagLocks.Held held = locks.lock(Digests.tagForUser(userId))) {
      for (Stored s : liveSessionsOf(userId, now, after)) {
        infos.add(s.info());
      }
    }
    after.forEach(Runnable::run);
    drainOrphans();
    infos.sort(Comparator.comparing(SessionInfo::createdAt).thenComparing(SessionInfo::handle));
    return Collections.unmodifiableList(infos);
  }

  @Override
  public boolean deleteByHandle(String userId, String handle, EndReason reason) {
    core.checkUserId(userId);
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(reason, "reason");
    if (!Digests.isDigest(handle)) {
      return false;
    }
    Instant now = now();
    List<Runnable> after = new ArrayList<>(1);
    boolean ended = false;
    try (TagLocks.Held held = locks.lock(Digests.tagForUser(userId))) {
      Set<String> handles = indexGet(userId);
      if (handles != null && handles.contains(handle)) {
        Stored rec = sessionGet(handle);
        if (rec == null) {
          indexRemove(userId, handle);
        } else if (!userId.equals(rec.userId())) {
          // Cannot happen while the index is consistent; never end another user's session.
          indexRemove(userId, handle);
        } else if (rec.isExpiredAt(now)) {
          expire(rec, now, after);
        } else {
          end(rec, reason, now, after);
          ended = true;
        }
      }
    }
    after.forEach(Runnable::run);
    drainOrphans();
    return ended;
  }

  @Override
  public int deleteAllForUser(String userId, @Nullable String keepId, EndReason reason) {
    core.checkUserId(userId);
    Objects.requireNonNull(reason, "reason");
    String keepHandle =
        keepId != null && wellFormed(keepId, "deleteAllForUser") ? Digests.handleOf(keepId) : null;
    Instant now = now();
    List<Runnable> after = new ArrayList<>();
    int ended = 0;
    try (TagLocks.Held held = locks.lock(Digests.tagForUser(userId))) {
      for (Stored s : liveSessionsOf(userId, now, after)) {
        if (!s.handle().equals(keepHandle)) {
          end(s, reason, now, after);
          ended++;
        }
      }
    }
    after.forEach(Runnable::run);
    drainOrphans();
    return ended;
  }

  @Override
  public String toString() {
    return "InMemorySessionStore{sessions~" + sessions.estimatedSize() + ", " + config + '}';
  }

  // ---------------------------------------------------------------------------------------------
  // Steps; each runs with the tag lock of the session or user it touches held.

  /** Stores a new session unless its handle is taken by a session or a tombstone. */
  private boolean claim(Stored rec) {
    if (tombstoneGet(rec.handle()) != null) {
      return false;
    }
    operations.increment();
    return sessions.asMap().putIfAbsent(rec.handle(), rec) == null;
  }

  /** Ends a live session: removes it and its index entry, leaves a tombstone, queues the event. */
  private void end(Stored rec, EndReason reason, Instant now, List<Runnable> after) {
    sessionRemove(rec.handle());
    String userId = rec.userId();
    if (userId != null) {
      indexRemove(userId, rec.handle());
    }
    if (!reason.isExpiry() && !config.tombstoneTtl().isZero()) {
      operations.increment();
      tombstones.put(rec.handle(), reason);
    }
    after.add(() -> events.sessionEnded(new SessionEvent(rec.handle(), userId, now), reason));
  }

  /**
   * Removes a session found expired, queues {@code sessionEnded}, and says which timeout ended it.
   */
  private EndReason expire(Stored rec, Instant now, List<Runnable> after) {
    EndReason reason = rec.timeouts().expiryReason(rec.createdAt(), rec.lastAccessedAt());
    end(rec, reason, now, after);
    return reason;
  }

  /**
   * The live sessions of a user, in index order; prunes entries whose session is gone and removes
   * sessions found expired. Runs under the user's tag lock.
   */
  private List<Stored> liveSessionsOf(String userId, Instant now, List<Runnable> after) {
    Set<String> handles = indexGet(userId);
    if (handles == null) {
      return new ArrayList<>(0);
    }
    List<Stored> live = new ArrayList<>(handles.size());
    for (String handle : List.copyOf(handles)) {
      Stored rec = sessionGet(handle);
      if (rec == null || !userId.equals(rec.userId())) {
        indexRemove(userId, handle);
      } else if (rec.isExpiredAt(now)) {
        expire(rec, now, after);
      } else {
        live.add(rec);
      }
    }
    return live;
  }

  /**
   * The attributes a login copies from the current session: none from another user's session; from
   * an anonymous or the same user's session, what the options allow.
   */
  private static Map<String, String> carried(
      @Nullable Stored cur, String userId, LoginOptions options) {
    if (cur == null
        || !options.keepAttributes()
        || (cur.userId() != null && !userId.equals(cur.userId()))) {
      return Map.of();
    }
    if (options.carryOver() == CarryOver.ALL) {
      return cur.attributes();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : cur.attributes().entrySet()) {
      if (options.carries(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** What a login must evict, or why it is rejected. */
  private static final class Limits {
    final List<Stored> evict = new ArrayList<>();
    LoginResult.@Nullable Rejected rejected;
  }

  private Limits limits(List<Stored> others, @Nullable String deviceType) {
    LoginPolicy policy = config.loginPolicy();
    Limits limits = new Limits();
    if (!policy.isLimited()) {
      return limits;
    }
    // Least recently active first: earliest lastAccessedAt, then earliest creation.
    Comparator<Stored> oldest =
        Comparator.comparing(Stored::lastAccessedAt)
            .thenComparing(Stored::createdAt)
            .thenComparing(Stored::handle);
    List<Stored> sameType = new ArrayList<>();
    if (deviceType != null) {
      for (Stored s : others) {
        if (deviceType.equals(s.metadata().deviceType().orElse(null))) {
          sameType.add(s);
        }
      }
    }
    boolean perTypeLimited = deviceType != null && policy.maxSessionsPerDeviceType().isPresent();
    if (policy.onLimit() == OnLimit.REJECT_NEW) {
      if (policy.maxSessionsPerUser().isPresent()
          && others.size() + 1 > policy.maxSessionsPerUser().getAsInt()) {
        limits.rejected = new LoginResult.Rejected(policy.maxSessionsPerUser().getAsInt(), false);
      } else if (perTypeLimited
          && sameType.size() + 1 > policy.maxSessionsPerDeviceType().getAsInt()) {
        limits.rejected =
            new LoginResult.Rejected(policy.maxSessionsPerDeviceType().getAsInt(), true);
      }
      return limits;
    }
    // EVICT_OLDEST: make room in the device type first, since that also makes room for the user.
    if (perTypeLimited) {
      sameType.sort(oldest);
      int excess = sameType.size() + 1 - policy.maxSessionsPerDeviceType().getAsInt();
      if (excess > 0) {
        limits.evict.addAll(sameType.subList(0, excess));
      }
    }
    if (policy.maxSessionsPerUser().isPresent()) {
      List<Stored> rest = new ArrayList<>(others);
      rest.removeAll(limits.evict);
      rest.sort(oldest);
      int excess = rest.size() + 1 - policy.maxSessionsPerUser().getAsInt();
      if (excess > 0) {
        limits.evict.addAll(rest.subList(0, excess));
      }
    }
    return limits;
  }

  // ---------------------------------------------------------------------------------------------
  // The backing maps, each access counted.

  private @Nullable Stored sessionGet(String handle) {
    operations.increment();
    return sessions.getIfPresent(handle);
  }

  private void sessionPut(Stored rec) {
    operations.increment();
    sessions.put(rec.handle(), rec);
  }

  private void sessionRemove(String handle) {
    operations.increment();
    sessions.invalidate(handle);
  }

  private @Nullable EndReason tombstoneGet(String handle) {
    operations.increment();
    return tombstones.getIfPresent(handle);
  }

  private @Nullable Set<String> indexGet(String userId) {
    operations.increment();
    return byUser.get(userId);
  }

  private void indexAdd(String userId, String handle) {
    operations.increment();
    byUser.computeIfAbsent(userId, u -> new LinkedHashSet<>()).add(handle);
  }

  private void indexRemove(String userId, String handle) {
    operations.increment();
    byUser.computeIfPresent(userId, (u, set) -> set.remove(handle) && set.isEmpty() ? null : set);
  }

  /**
   * Removes the index entries of sessions that Caffeine evicted on its own (past the bound, or long
   * expired). Runs outside any lock held by the caller, a few entries per call; not counted.
   */
  private void drainOrphans() {
    for (int i = 0; i < ORPHANS_PER_CALL; i++) {
      Orphan o = orphans.poll();
      if (o == null) {
        return;
      }
      try (TagLocks.Held held = locks.lock(Digests.tagForUser(o.userId()))) {
        // Handles are never reused, so an absent session means the entry is stale for good.
        if (sessions.getIfPresent(o.handle()) == null) {
          byUser.computeIfPresent(
              o.userId(), (u, set) -> set.remove(o.handle()) && set.isEmpty() ? null : set);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Checks an id before any map is touched; a null id counts as presented and malformed. */
  @Contract("null, _ -> false")
  private boolean wellFormed(@Nullable String id, String source) {
    return core.acceptId(id, source);
  }

  private Instant now() {
    return config.clock().instant();
  }

  /** An index entry to drop once its session is gone. */
  private record Orphan(String userId, String handle) {}

  /** One session as held in memory: no id, attributes encoded. Immutable; replaced on write. */
  private record Stored(
      String handle,
      @Nullable String userId,
      Instant createdAt,
      Instant lastAccessedAt,
      @Nullable Instant authenticatedAt,
      Timeouts timeouts,
      SessionMetadata metadata,
      Map<String, String> attributes) {

    Instant expiresAt() {
      return timeouts.expiresAt(createdAt, lastAccessedAt);
    }

    /** Expiry is exclusive: at {@code expiresAt} the session is gone, as with a Redis PEXPIREAT. */
    boolean isExpiredAt(Instant now) {
      return !now.isBefore(expiresAt());
    }

    Stored touched(Instant now) {
      return new Stored(
          handle, userId, createdAt, now, authenticatedAt, timeouts, metadata, attributes);
    }

    Stored withHandle(String newHandle) {
      return new Stored(
          newHandle,
          userId,
          createdAt,
          lastAccessedAt,
          authenticatedAt,
          timeouts,
          metadata,
          attributes);
    }

    Stored with(
        Map<String, String> newAttributes, Timeouts newTimeouts, SessionMetadata newMetadata) {
      return new Stored(
          handle,
          userId,
          createdAt,
          lastAccessedAt,
          authenticatedAt,
          newTimeouts,
          newMetadata,
          Collections.unmodifiableMap(newAttributes));
    }

    SessionInfo info() {
      return new SessionInfo(
          handle, userId, createdAt, lastAccessedAt, expiresAt(), authenticatedAt, metadata);
    }

    Session toSession(String id, AttributeCodec codec) {
      return Session.builder(id, codec)
          .userId(userId)
          .createdAt(createdAt)
          .lastAccessedAt(lastAccessedAt)
          .authenticatedAt(authenticatedAt)
          .timeouts(timeouts)
          .metadata(metadata)
          .encodedAttributes(attributes)
          .build();
    }
  }
}
