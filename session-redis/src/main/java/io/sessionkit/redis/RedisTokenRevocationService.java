package io.sessionkit.redis;

import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RefreshTokenService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.SuccessorCipher;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenKeys;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.UserIds;
import io.sessionkit.redis.internal.Events;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.redis.internal.LuaScript;
import io.sessionkit.redis.internal.RedisIo;
import io.sessionkit.redis.internal.Stamps;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenRevocationService} and {@link RefreshTokenService} on Redis.
 *
 * <p><b>Layout.</b> A revoked token is a small string under a digest of its id, in its subject's
 * slot; a user's watermark is a small string in the user's slot; the global watermark is copied
 * into each of the 4096 slot tags, so that {@link #check} reads the copy in its own slot. Refresh
 * tokens are small hashes under a digest of the token, next to their family, in the subject's slot.
 * Every key has a TTL; every value also records until when it counts by the injected clock.
 *
 * <p><b>Cost in Redis commands</b> (asserted by a test): {@link #check} 1 (0 for a malformed or
 * expired token); {@link #revoke} 1; {@link #revokeAllForUser} 1 when the session store is a {@link
 * RedisSessionStore} on the same connector (watermark and sessions in one script), else 1 plus the
 * store's; {@link #revokeAllIssuedBefore} 8 pipelined scripts of 512 slot copies each, or on
 * Cluster 4096 pipelined single-slot ones (it is rare); {@link #issue} 1; {@link #rotate} and
 * {@link #revokeFamily} 2 each (the token's record is read first, so that the script declares the
 * family and watermark keys it names). Creating the service reads one slot's flush-defence epoch,
 * and if it is missing makes sure every slot holds one, which costs what {@link
 * #revokeAllIssuedBefore} costs.
 *
 * <p><b>Flush defence.</b> Each slot's copy of the global watermark is kept without TTL, so a
 * missing one means Redis lost its memory (a flush, a restart without persistence, a Cluster node
 * that came back empty). The script of every token check, issue and rotation notices it in the same
 * step, writes the copy at {@code now + clockSkew} (so every token issued before is refused as
 * {@link RevocationReason#GLOBALLY_REVOKED}), and the service reports the loss once: a warning in
 * the log, {@link io.sessionkit.core.RevocationListener#memoryLossDetected}, and {@link
 * RedisConnector#deploymentStatus()}; it then spreads the watermark to every slot. A new service
 * that finds the first slot's copy missing writes every missing copy at its own {@code now} (a new
 * store cannot be told from an emptied one), so tokens issued before the first start, or before an
 * upgrade from a release without this defence, are refused once, unless the store is declared new
 * with {@link #adoptStore} first.
 *
 * <p><b>Clock skew.</b> User watermarks are {@code now + clockSkew} and revocation marks outlive
 * their token by the skew on every server; refresh tokens issued or rotated after a watermark (in
 * Redis order) are stamped at the watermark when it is ahead of {@code now}, so they are not
 * refused by it. See {@link RevocationConfig}.
 *
 * <p>Thread-safe. Calls throw {@link io.sessionkit.core.StoreUnavailableException} while Redis is
 * unreachable; callers must then refuse the token.
 */
public final class RedisTokenRevocationService
    implements TokenRevocationService, RefreshTokenService {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTokenRevocationService.class);
  private static final int MAX_TOKEN_DRAWS = 8;
  private static final int TAGS = 4096;
  private static final int GLOBAL_CHUNK = 512;

  private final RedisConnector connector;
  private final boolean ownsConnector;
  private final RedisIo io;
  private final Keys keys;
  private final RevocationConfig config;
  private final @Nullable SessionStore sessions;
  private final SessionIdGenerator ids;
  private final Events events;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final Object lossLock = new Object();
  private @Nullable Instant lastLoss;
  private final AtomicBoolean spreading = new AtomicBoolean();

  private RedisTokenRevocationService(
      RedisConnector connector,
      boolean ownsConnector,
      RevocationConfig config,
      @Nullable SessionStore sessions) {
    this.connector = connector;
    this.ownsConnector = ownsConnector;
    this.io = connector.io();
    this.keys = new Keys(connector.options().keyPrefix());
    this.config = config;
    this.sessions = sessions;
    this.ids = config.idGenerator();
    this.events = Events.of(config);
  }

  /**
   * A service on a shared connector that ends no sessions.
   *
   * @param connector the connection to Redis, closed by the caller after the service
   * @param config the configuration
   * @return the service
   */
  public static RedisTokenRevocationService create(
      RedisConnector connector, RevocationConfig config) {
    return create(connector, config, null);
  }

  /**
   * A service on a shared connector whose {@link #revokeAllForUser} also ends the user's sessions
   * in {@code sessions}.
   *
   * @param connector the connection to Redis, closed by the caller after the service
   * @param config the configuration
   * @param sessions the session store, or null
   * @return the service
   */
  public static RedisTokenRevocationService create(
      RedisConnector connector, RevocationConfig config, @Nullable SessionStore sessions) {
    RedisTokenRevocationService service =
        new RedisTokenRevocationService(
            Objects.requireNonNull(connector, "connector"),
            false,
            Objects.requireNonNull(config, "config"),
            sessions);
    service.seedEpochs();
    return service;
  }

  /**
   * A service with its own connector, closed by {@link #close()}.
   *
   * @param options how to reach Redis
   * @param config the configuration
   * @param sessions the session store whose sessions {@link #revokeAllForUser} ends, or null
   * @return the service
   * @throws io.sessionkit.core.StoreUnavailableException if Redis cannot be reached
   */
  public static RedisTokenRevocationService create(
      RedisOptions options, RevocationConfig config, @Nullable SessionStore sessions) {
    Objects.requireNonNull(config, "config");
    RedisTokenRevocationService service =
        new RedisTokenRevocationService(RedisConnector.connect(options), true, config, sessions);
    service.seedEpochs();
    return service;
  }

  @Override
  public RevocationConfig config() {
    return config;
  }

  private Instant now() {
    return config.clock().instant();
  }

  private void ensureOpen() {
    if (!open.get()) {
      throw new IllegalStateException("the service is closed");
    }
  }

  /** Milliseconds since the epoch, saturating instead of overflowing. */
  private static long millis(Instant t) {
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE / 2;
    }
  }

  private static String str(Object o) {
    return String.valueOf(o);
  }

  // ---------------------------------------------------------------------------------------------
  // TokenRevocationService

  @Override
  public void revoke(TokenClaims token) {
    Objects.requireNonNull(token, "token");
    Instant now = now();
    Duration skew = config.clockSkew();
    if (!token.isWellFormed() || !now.isBefore(plus(token.expiresAt(), skew))) {
      return; // no oracle, no I/O: a garbage token, or one expired on every server, needs no mark
    }
    ensureOpen();
    Instant cap = plus(now, config.maxRevocationTtl());
    boolean beyondCap = token.expiresAt().isAfter(cap);
    Instant keepUntil = plus(min(token.expiresAt(), cap), skew);
    String digest = TokenKeys.revocationDigest(token.tokenId());
    String tag = TokenKeys.revocationTag(token.tokenId(), token.subject());
    io.evalLong(
        LuaScript.MARK,
        List.of(keys.tokenMark(tag, digest)),
        List.of(
            Long.toString(millis(now)),
            Long.toString(Math.max(millis(keepUntil), millis(now) + 1)),
            Long.toString(skew.toMillis())));
    connector.replicaWait().await("revoke");
    events.tokenRevoked(digest, token.subject());
    if (beyondCap) {
      throw new IllegalArgumentException(
          "the token expires at "
              + token.expiresAt()
              + ", "
              + Duration.between(now, token.expiresAt())
              + " from now, beyond RevocationConfig.maxRevocationTtl "
              + config.maxRevocationTtl()
              + ": it is revoked for maxRevocationTtl only and would be accepted again "
              + "after that; issue tokens that live at most maxRevocationTtl, or raise it");
    }
  }

  @Override
  public Instant revokeAllForUser(String userId, @Nullable String keepSessionId) {
    UserIds.requireValid(userId);
    ensureOpen();
    Instant now = now();
    Duration skew = config.clockSkew();
    // Widened by the skew, so that a token another server stamped up to clockSkew ahead is refused,
    // and kept twice the skew longer, so that every server still sees it while such tokens live.
    Instant widened = plus(now, skew);
    long ttl = config.watermarkTtl().plus(skew).plus(skew).toMillis();
    String stamp;
    SessionStore store = sessions;
    if (store instanceof RedisSessionStore redis && redis.connector() == connector) {
      stamp =
          redis
              .endAll(userId, keepSessionId, EndReason.ALL_REVOKED, Stamps.of(widened), ttl)
              .watermarkStamp();
    } else {
      stamp =
          io.evalString(
              LuaScript.WATERMARK,
              List.of(keys.userWatermark(userId)),
              List.of(Long.toString(millis(now)), Stamps.of(widened), Long.toString(ttl), ""));
      if (store != null) {
        store.deleteAllForUser(userId, keepSessionId, EndReason.ALL_REVOKED);
      }
    }
    connector.replicaWait().await("revokeAllForUser");
    Instant watermark = Stamps.parse(stamp);
    events.userRevoked(userId, watermark);
    return watermark;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Writes the watermark into each of the 4096 slot copies, pipelined. All or retry: slots whose
   * write failed are retried (twice) within the call, and if any still failed the call throws
   * {@link io.sessionkit.core.StoreUnavailableException} saying how many slots were written; the
   * watermark is then in force in those slots only, and calling again (it is idempotent) completes
   * it. Like a logout, it returns only once the replicas have it where {@link
   * RedisOptions.Durability#REPLICATED} applies.
   */
  @Override
  public void revokeAllIssuedBefore(Instant notBefore) {
    Objects.requireNonNull(notBefore, "notBefore");
    ensureOpen();
    Instant max =
        raiseGlobal(Stamps.of(notBefore), plus(now(), config.clockSkew()), "revokeAllIssuedBefore");
    connector.replicaWait().await("revokeAllIssuedBefore");
    events.allRevoked(max.isAfter(notBefore) ? max : notBefore);
  }

  /**
   * Raises (or, with {@code stamp} empty, makes sure of) every slot's copy of the global watermark,
   * retrying slots whose write failed. A slot whose copy is missing lost its memory: it gets the
   * later of {@code stamp} and {@code lostStamp}, and the loss is reported.
   *
   * @return the highest stamp in force afterwards
   * @throws io.sessionkit.core.StoreUnavailableException if some slots could not be written
   */
  private Instant raiseGlobal(String stamp, Instant lostStamp, String what) {
    Instant now = now();
    List<String> args = List.of(Long.toString(millis(now)), stamp, "0", Stamps.of(lostStamp));
    List<List<String>> pending = globalCopies(keys, connector.options().topology());
    String max = stamp;
    int lost = 0;
    RuntimeException last = null;
    for (int attempt = 0; attempt < 3 && !pending.isEmpty(); attempt++) {
      RedisIo.Batch batch = io.evalBatchEach(LuaScript.WATERMARK, pending, args);
      List<List<String>> failed = new ArrayList<>();
      for (int i = 0; i < pending.size(); i++) {
        String s = batch.results().get(i);
        if (s == null) {
          failed.add(pending.get(i));
          continue;
        }
        int slash = s.indexOf('/');
        lost += Integer.parseInt(s.substring(0, slash));
        String inForce = s.substring(slash + 1);
        if (inForce.compareTo(max) > 0) {
          max = inForce;
        }
      }
      if (batch.failure() != null) {
        last = batch.failure();
      }
      pending = failed;
    }
    if (lost > 0) {
      memoryLost(lostStamp, lost, now);
    }
    if (!pending.isEmpty()) {
      int unwritten = pending.stream().mapToInt(List::size).sum();
      throw new StoreUnavailableException(
          what
              + " wrote "
              + (TAGS - unwritten)
              + " of "
              + TAGS
              + " slot copies of the global watermark; the others failed ("
              + (last == null ? "?" : last.getMessage())
              + "), so tokens in those slots are not yet refused: call it again, it is idempotent",
          last);
    }
    return max.isEmpty() ? Instant.EPOCH : Stamps.parse(max);
  }

  /**
   * The key lists of the global watermark's slot copies, one script run each: on Cluster one slot
   * per run (a script touches one slot); elsewhere {@value #GLOBAL_CHUNK} slots per run, so that
   * the 4096 copies take 8 commands, none of which holds Redis for long.
   */
  private static List<List<String>> globalCopies(Keys keys, RedisOptions.Topology topology) {
    int chunk = topology == RedisOptions.Topology.CLUSTER ? 1 : GLOBAL_CHUNK;
    List<List<String>> runs = new ArrayList<>(TAGS / chunk);
    for (int t = 0; t < TAGS; t += chunk) {
      List<String> run = new ArrayList<>(chunk);
      for (int i = t; i < t + chunk; i++) {
        run.add(keys.globalWatermark(Digests.tagOf(i)));
      }
      runs.add(run);
    }
    return runs;
  }

  /**
   * Makes sure every slot holds its flush-defence epoch (the global watermark copy, kept without
   * TTL), writing {@code now} where one is missing, and reports a loss if any was. Best effort: a
   * slot missed now is caught by the first check in it.
   */
  private void seedEpochs() {
    try {
      // One read in the common case: a store in service holds the first slot's epoch, and a slot
      // that lost its own (a Cluster node restarted empty) is caught by the first check in it.
      if (io.get(keys.globalWatermark(Digests.tagOf(0))) != null) {
        return;
      }
      // At start, a missing epoch is a new store or a lost one: refuse what was issued before now.
      // The skew is not added, so that this process can issue tokens as soon as it has started.
      raiseGlobal("", now(), "the flush-defence check at start");
    } catch (RuntimeException e) {
      LOG.warn(
          "could not check the flush-defence epochs of every slot at start ({}); each slot is checked "
              + "again by the first token check in it",
          e.getMessage());
    }
  }

  /**
   * Answers a store that lost its memory (found missing epochs): log once, tell the listeners and
   * the connector's status, and spread the watermark to every slot (best effort: slots still
   * missing theirs find out on their own).
   */
  private void memoryLost(Instant notBefore, int slots, Instant now) {
    synchronized (lossLock) {
      if (lastLoss != null && !notBefore.isAfter(plus(lastLoss, config.clockSkew()))) {
        return; // the same loss, seen again in another slot
      }
      lastLoss = notBefore;
    }
    String message =
        RedisDeploymentStatus.MEMORY_LOSS
            + " (flushed, restarted without persistence, or new): "
            + slots
            + " slot(s) of "
            + TAGS
            + " had no flush-defence epoch; every token issued before "
            + notBefore
            + " is refused as GLOBALLY_REVOKED";
    LOG.warn(message);
    connector.memoryLossDetected(now, message);
    events.memoryLossDetected(notBefore);
    if (slots < TAGS && spreading.compareAndSet(false, true)) {
      try {
        raiseGlobal(Stamps.of(notBefore), notBefore, "spreading the flush-defence watermark");
      } catch (RuntimeException e) {
        LOG.warn(
            "could not spread the flush-defence watermark to every slot ({}); each slot is checked again by "
                + "the first token check in it",
            e.getMessage());
      } finally {
        spreading.set(false);
      }
    }
  }

  @Override
  public TokenCheck check(TokenClaims token) {
    Objects.requireNonNull(token, "token");
    if (!token.isWellFormed()) {
      return TokenCheck.revoked(RevocationReason.MALFORMED);
    }
    Instant now = now();
    if (!now.isBefore(token.expiresAt())) {
      return TokenCheck.revoked(RevocationReason.EXPIRED);
    }
    ensureOpen();
    String subject = token.subject();
    String tag = TokenKeys.revocationTag(token.tokenId(), subject);
    List<String> k = new ArrayList<>(3);
    k.add(keys.tokenMark(tag, TokenKeys.revocationDigest(token.tokenId())));
    k.add(keys.globalWatermark(tag));
    if (subject != null) {
      k.add(keys.userWatermark(subject));
    }
    List<Object> r =
        io.evalList(
            LuaScript.CHECK,
            k,
            List.of(Long.toString(millis(now)), Stamps.of(plus(now, config.clockSkew()))));
    String userStamp = str(r.get(1));
    String globalStamp = str(r.get(2));
    if (((Long) r.get(3)) == 1L) {
      memoryLost(Stamps.parse(globalStamp), 1, now);
    }
    if (!userStamp.isEmpty() && token.issuedAt().isBefore(Stamps.parse(userStamp))) {
      return TokenCheck.revoked(RevocationReason.ALL_REVOKED);
    }
    if (!globalStamp.isEmpty() && token.issuedAt().isBefore(Stamps.parse(globalStamp))) {
      return TokenCheck.revoked(RevocationReason.GLOBALLY_REVOKED);
    }
    if (((Long) r.get(0)) == 1L) {
      return TokenCheck.revoked(RevocationReason.REVOKED);
    }
    return TokenCheck.active();
  }

  // ---------------------------------------------------------------------------------------------
  // RefreshTokenService

  private String recordKey(String token) {
    return keys.refreshToken(SessionIdGenerator.tagOf(token), TokenKeys.refreshDigest(token));
  }

  @Override
  public RefreshToken issue(String subject) {
    UserIds.requireValid(subject);
    ensureOpen();
    Instant now = now();
    Instant absoluteExpiry = plus(now, config.refreshFamilyMaxLifetime());
    Instant expiresAt = min(plus(now, config.refreshTokenTtl()), absoluteExpiry);
    Instant lostStamp = plus(now, config.clockSkew());
    for (int draw = 0; draw < MAX_TOKEN_DRAWS; draw++) {
      String token = ids.newIdForUser(subject);
      String family = TokenKeys.familyHandle(token);
      String tag = SessionIdGenerator.tagOf(token);
      List<Object> r =
          io.evalList(
              LuaScript.ISSUE,
              List.of(
                  recordKey(token),
                  keys.refreshFamily(tag, family),
                  keys.globalWatermark(tag),
                  keys.userWatermark(subject)),
              List.of(
                  Long.toString(millis(now)),
                  family,
                  subject,
                  Keys.userDigest(subject),
                  Stamps.of(now),
                  Long.toString(millis(expiresAt)),
                  Long.toString(millis(absoluteExpiry)),
                  Long.toString(config.clockSkew().toMillis()),
                  Stamps.of(lostStamp)));
      if (((Long) r.get(0)) == 1L) {
        if (((Long) r.get(2)) == 1L) {
          memoryLost(lostStamp, 1, now);
        }
        return new RefreshToken(token, subject, family, Stamps.parse(str(r.get(1))), expiresAt);
      }
    }
    throw new SessionException(
        "drew "
            + MAX_TOKEN_DRAWS
            + " refresh tokens that were all in use; the id "
            + "generator's random source is broken");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Two commands: the token's record is read first (its family and subject name the keys the
   * script declares), then one script re-checks them and rotates.
   */
  @Override
  public RefreshResult rotate(String refreshToken) {
    if (!ids.isWellFormed(refreshToken)) {
      return new RefreshResult.Refused(RefreshResult.Reason.MALFORMED);
    }
    ensureOpen();
    Instant now = now();
    String tag = SessionIdGenerator.tagOf(refreshToken);
    String recordKey = recordKey(refreshToken);
    List<@Nullable String> read = io.hmget(recordKey, "m", "u");
    String family = read.get(0);
    String userDigest = read.get(1);
    if (family == null || userDigest == null) {
      return new RefreshResult.Refused(RefreshResult.Reason.UNKNOWN);
    }
    String familyKey = keys.refreshFamily(tag, family);
    String context = TokenKeys.refreshDigest(refreshToken);
    Instant lostStamp = plus(now, config.clockSkew());
    for (int draw = 0; draw < MAX_TOKEN_DRAWS; draw++) {
      String successor = ids.newIdLike(refreshToken);
      String sealed = SuccessorCipher.seal(refreshToken, successor, context);
      List<Object> r =
          io.evalList(
              LuaScript.ROTATE,
              List.of(
                  recordKey,
                  familyKey,
                  keys.globalWatermark(tag),
                  keys.userWatermarkByDigest(tag, userDigest),
                  recordKey(successor)),
              List.of(
                  Long.toString(millis(now)),
                  family,
                  userDigest,
                  Stamps.of(now),
                  Long.toString(config.refreshTokenTtl().toMillis()),
                  Long.toString(config.refreshGraceWindow().toMillis()),
                  sealed,
                  Long.toString(config.clockSkew().toMillis()),
                  Stamps.of(lostStamp)));
      switch (str(r.get(0))) {
        case "U":
          return new RefreshResult.Refused(RefreshResult.Reason.UNKNOWN);
        case "V":
          return new RefreshResult.Refused(RefreshResult.Reason.REVOKED);
        case "L":
          memoryLost(lostStamp, 1, now);
          return new RefreshResult.Refused(RefreshResult.Reason.REVOKED);
        case "E":
          return new RefreshResult.Refused(RefreshResult.Reason.EXPIRED);
        case "C":
          continue;
        case "G":
          {
            Optional<String> again = SuccessorCipher.open(refreshToken, str(r.get(1)), context);
            if (again.isPresent()) {
              events.refreshTokenReplayed(str(r.get(4)), str(r.get(5)));
              return new RefreshResult.Rotated(
                  new RefreshToken(
                      again.get(),
                      str(r.get(5)),
                      str(r.get(4)),
                      Stamps.parse(str(r.get(2))),
                      Instant.ofEpochMilli(Long.parseLong(str(r.get(3))))),
                  true);
            }
            // Not what we sealed: treat it like any other reuse.
            List<Object> f =
                io.evalList(
                    LuaScript.REVOKE_FAMILY, List.of(recordKey, familyKey), List.of(family));
            events.refreshTokenReused(str(r.get(4)), str(r.get(5)));
            return new RefreshResult.Refused(
                ((Long) f.get(0)) == 0L
                    ? RefreshResult.Reason.UNKNOWN
                    : RefreshResult.Reason.REUSED);
          }
        case "R":
          events.refreshTokenReused(str(r.get(1)), str(r.get(2)));
          return new RefreshResult.Refused(RefreshResult.Reason.REUSED);
        case "O":
          return new RefreshResult.Rotated(
              new RefreshToken(
                  successor,
                  str(r.get(2)),
                  str(r.get(1)),
                  Stamps.parse(str(r.get(4))),
                  Instant.ofEpochMilli(Long.parseLong(str(r.get(3))))),
              false);
        default:
          throw new IllegalStateException("rotate.lua answered " + r.get(0));
      }
    }
    throw new SessionException(
        "drew "
            + MAX_TOKEN_DRAWS
            + " refresh tokens that were all in use; the id "
            + "generator's random source is broken");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Two commands, like {@link #rotate}: the record is read first to name the family.
   */
  @Override
  public void revokeFamily(String refreshToken) {
    if (!ids.isWellFormed(refreshToken)) {
      return;
    }
    ensureOpen();
    String tag = SessionIdGenerator.tagOf(refreshToken);
    String recordKey = recordKey(refreshToken);
    String family = io.hmget(recordKey, "m").get(0);
    if (family == null) {
      return;
    }
    io.evalList(
        LuaScript.REVOKE_FAMILY,
        List.of(recordKey, keys.refreshFamily(tag, family)),
        List.of(family));
    connector.replicaWait().await("revokeFamily");
  }

  /**
   * Declares a store that has no flush-defence epochs as one that did <em>not</em> lose its memory:
   * writes the epoch at {@code notBefore} into every slot that has none (slots that have one keep
   * it; nothing is lowered), without reporting a loss. Tokens issued from {@code notBefore} on are
   * then not refused by the flush defence.
   *
   * <p>For two cases only, before any service runs on the store: upgrading a store written by a
   * release without the flush defence (call it once with {@link Instant#EPOCH}, so that existing
   * tokens are not all refused at the first start), and tests that empty Redis between cases. On a
   * store that did lose its memory it would accept again every token issued from {@code notBefore}
   * on, revoked or not: do not call it to silence a reported loss.
   *
   * <p>Costs what {@link #revokeAllIssuedBefore} costs.
   *
   * @param connector the connection to the store
   * @param notBefore the epoch to write where one is missing
   * @throws io.sessionkit.core.StoreUnavailableException if Redis cannot be reached
   * @throws SessionException if Redis refused a write
   */
  public static void adoptStore(RedisConnector connector, Instant notBefore) {
    Objects.requireNonNull(connector, "connector");
    Instant at = Objects.requireNonNull(notBefore, "notBefore");
    Keys keys = new Keys(connector.options().keyPrefix());
    List<List<String>> runs = globalCopies(keys, connector.options().topology());
    List<String> args = List.of("0", "", "0", Stamps.of(at));
    RuntimeException failure = null;
    for (int attempt = 0; attempt < 3 && !runs.isEmpty(); attempt++) {
      RedisIo.Batch b = connector.io().evalBatchEach(LuaScript.WATERMARK, runs, args);
      List<List<String>> failed = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        if (b.results().get(i) == null) {
          failed.add(runs.get(i));
        }
      }
      failure = b.failure();
      runs = failed;
    }
    if (!runs.isEmpty() && failure != null) {
      throw failure;
    }
  }

  /** Closes the connector if this service created it. Idempotent. */
  @Override
  public void close() {
    if (open.compareAndSet(true, false) && ownsConnector) {
      connector.close();
    }
  }

  @Override
  public String toString() {
    return "RedisTokenRevocationService{" + connector.options() + '}';
  }

  /** {@code t + d}, saturating at {@link Instant#MAX} (a configured lifetime may be huge). */
  private static Instant plus(Instant t, Duration d) {
    try {
      return t.plus(d);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
