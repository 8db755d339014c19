package io.sessionkit.redis;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RefreshTokenService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationReason;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.Digests;
import io.sessionkit.core.SuccessorCipher;
import io.sessionkit.core.TokenKeys;
import io.sessionkit.core.UserIds;
import io.sessionkit.redis.internal.Events;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.redis.internal.LuaScript;
import io.sessionkit.redis.internal.RedisIo;
import io.sessionkit.redis.internal.Stamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenRevocationService} and {@link RefreshTokenService} on Redis.
 *
 * <p><b>Layout.</b> A revoked token is a small string under a digest of its id, in its subject's
 * slot; a user's watermark is a small string in the user's slot; the global watermark is copied into
 * each of the 4096 slot tags, so that {@link #check} reads the copy in its own slot. Refresh tokens
 * are small hashes under a digest of the token, next to their family, in the subject's slot. Every
 * key has a TTL; every value also records until when it counts by the injected clock.
 *
 * <p><b>Cost in Redis commands</b> (asserted by a test): {@link #check} 1 (0 for a malformed or
 * expired token); {@link #revoke} 1; {@link #revokeAllForUser} 1 when the session store is a
 * {@link RedisSessionStore} on the same connector (watermark and sessions in one script), else 1 plus
 * the store's; {@link #revokeAllIssuedBefore} 4096, pipelined (it is rare); {@link #issue},
 * {@link #rotate} and {@link #revokeFamily} 1 each.
 *
 * <p>Thread-safe. Calls throw {@link io.sessionkit.core.StoreUnavailableException} while Redis is
 * unreachable; callers must then refuse the token.
 */
public final class RedisTokenRevocationService implements TokenRevocationService, RefreshTokenService {
  private static final int MAX_TOKEN_DRAWS = 8;
  private static final int TAGS = 4096;

  private final RedisConnector connector;
  private final boolean ownsConnector;
  private final RedisIo io;
  private final Keys keys;
  private final RevocationConfig config;
  private final @Nullable SessionStore sessions;
  private final SessionIdGenerator ids;
  private final Events events;
  private final AtomicBoolean open = new AtomicBoolean(true);

  private RedisTokenRevocationService(RedisConnector connector, boolean ownsConnector, RevocationConfig config,
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
  public static RedisTokenRevocationService create(RedisConnector connector, RevocationConfig config) {
    return create(connector, config, null);
  }

  /**
   * A service on a shared connector whose {@link #revokeAllForUser} also ends the user's sessions in
   * {@code sessions}.
   *
   * @param connector the connection to Redis, closed by the caller after the service
   * @param config the configuration
   * @param sessions the session store, or null
   * @return the service
   */
  public static RedisTokenRevocationService create(RedisConnector connector, RevocationConfig config,
      @Nullable SessionStore sessions) {
    return new RedisTokenRevocationService(Objects.requireNonNull(connector, "connector"), false,
        Objects.requireNonNull(config, "config"), sessions);
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
  public static RedisTokenRevocationService create(RedisOptions options, RevocationConfig config,
      @Nullable SessionStore sessions) {
    Objects.requireNonNull(config, "config");
    return new RedisTokenRevocationService(RedisConnector.connect(options), true, config, sessions);
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
    if (!token.isWellFormed() || !now.isBefore(token.expiresAt())) {
      return; // no oracle, no I/O: a garbage or dead token needs no mark
    }
    ensureOpen();
    Instant keepUntil = min(plus(token.expiresAt(), config.clockSkew()), plus(now, config.maxRevocationTtl()));
    String digest = TokenKeys.revocationDigest(token.tokenId());
    String tag = TokenKeys.revocationTag(token.tokenId(), token.subject());
    io.evalLong(LuaScript.MARK, List.of(keys.tokenMark(tag, digest)),
        List.of(Long.toString(millis(now)), Long.toString(Math.max(millis(keepUntil), millis(now) + 1))));
    connector.replicaWait().await("revoke");
    events.tokenRevoked(digest, token.subject());
  }

  @Override
  public Instant revokeAllForUser(String userId, @Nullable String keepSessionId) {
    UserIds.requireValid(userId);
    ensureOpen();
    Instant now = now();
    long ttl = config.watermarkTtl().toMillis();
    String stamp;
    SessionStore store = sessions;
    if (store instanceof RedisSessionStore redis && redis.connector() == connector) {
      stamp = redis.endAll(userId, keepSessionId, EndReason.ALL_REVOKED, Stamps.of(now), ttl).watermarkStamp();
    } else {
      stamp = io.evalString(LuaScript.WATERMARK, List.of(keys.userWatermark(userId)),
          List.of(Long.toString(millis(now)), Stamps.of(now), Long.toString(ttl)));
      if (store != null) {
        store.deleteAllForUser(userId, keepSessionId, EndReason.ALL_REVOKED);
      }
    }
    connector.replicaWait().await("revokeAllForUser");
    Instant watermark = Stamps.parse(stamp);
    events.userRevoked(userId, watermark);
    return watermark;
  }

  @Override
  public void revokeAllIssuedBefore(Instant notBefore) {
    Objects.requireNonNull(notBefore, "notBefore");
    ensureOpen();
    Instant now = now();
    List<List<String>> copies = new ArrayList<>(TAGS);
    for (int t = 0; t < TAGS; t++) {
      copies.add(List.of(keys.globalWatermark(Digests.tagOf(t))));
    }
    List<String> stamps = io.evalBatch(LuaScript.WATERMARK, copies, List.of(Long.toString(millis(now)),
        Stamps.of(notBefore), Long.toString(config.watermarkTtl().toMillis())));
    String max = Stamps.of(notBefore);
    for (String s : stamps) {
      if (s.compareTo(max) > 0) {
        max = s;
      }
    }
    connector.replicaWait().await("revokeAllIssuedBefore");
    events.allRevoked(Stamps.parse(max));
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
    List<Object> r = io.evalList(LuaScript.CHECK, k, List.of(Long.toString(millis(now))));
    String userStamp = str(r.get(1));
    String globalStamp = str(r.get(2));
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
    return keys.base(SessionIdGenerator.tagOf(token)) + "f:" + TokenKeys.refreshDigest(token);
  }

  @Override
  public RefreshToken issue(String subject) {
    UserIds.requireValid(subject);
    ensureOpen();
    Instant now = now();
    Instant absoluteExpiry = plus(now, config.refreshFamilyMaxLifetime());
    Instant expiresAt = min(plus(now, config.refreshTokenTtl()), absoluteExpiry);
    for (int draw = 0; draw < MAX_TOKEN_DRAWS; draw++) {
      String token = ids.newIdForUser(subject);
      String family = TokenKeys.familyHandle(token);
      String base = keys.base(SessionIdGenerator.tagOf(token));
      long ok = io.evalLong(LuaScript.ISSUE, List.of(recordKey(token), base + "F:" + family),
          List.of(Long.toString(millis(now)), family, subject, Keys.userDigest(subject), Stamps.of(now),
              Long.toString(millis(expiresAt)),
              Long.toString(millis(absoluteExpiry)), Long.toString(config.clockSkew().toMillis())));
      if (ok == 1) {
        return new RefreshToken(token, subject, family, now, expiresAt);
      }
    }
    throw new SessionException("drew " + MAX_TOKEN_DRAWS + " refresh tokens that were all in use; the id "
        + "generator's random source is broken");
  }

  @Override
  public RefreshResult rotate(String refreshToken) {
    if (!ids.isWellFormed(refreshToken)) {
      return new RefreshResult.Refused(RefreshResult.Reason.MALFORMED);
    }
    ensureOpen();
    Instant now = now();
    String tag = SessionIdGenerator.tagOf(refreshToken);
    String recordKey = recordKey(refreshToken);
    String context = TokenKeys.refreshDigest(refreshToken);
    for (int draw = 0; draw < MAX_TOKEN_DRAWS; draw++) {
      String successor = ids.newIdLike(refreshToken);
      String sealed = SuccessorCipher.seal(refreshToken, successor, context);
      List<Object> r = io.evalList(LuaScript.ROTATE,
          List.of(recordKey, keys.globalWatermark(tag), recordKey(successor)),
          List.of(Long.toString(millis(now)), keys.base(tag), Stamps.of(now),
              Long.toString(config.refreshTokenTtl().toMillis()), Long.toString(config.refreshGraceWindow().toMillis()),
              sealed, Long.toString(config.clockSkew().toMillis())));
      switch (str(r.get(0))) {
        case "U":
          return new RefreshResult.Refused(RefreshResult.Reason.UNKNOWN);
        case "V":
          return new RefreshResult.Refused(RefreshResult.Reason.REVOKED);
        case "E":
          return new RefreshResult.Refused(RefreshResult.Reason.EXPIRED);
        case "C":
          continue;
        case "G": {
          Optional<String> again = SuccessorCipher.open(refreshToken, str(r.get(1)), context);
          if (again.isPresent()) {
            return new RefreshResult.Rotated(new RefreshToken(again.get(), str(r.get(5)), str(r.get(4)),
                Stamps.parse(str(r.get(2))), Instant.ofEpochMilli(Long.parseLong(str(r.get(3))))), true);
          }
          // Not what we sealed: treat it like any other reuse.
          List<Object> f = io.evalList(LuaScript.REVOKE_FAMILY, List.of(recordKey), List.of(keys.base(tag)));
          events.refreshTokenReused(str(r.get(4)), str(r.get(5)));
          return new RefreshResult.Refused(((Long) f.get(0)) == 0L ? RefreshResult.Reason.UNKNOWN
              : RefreshResult.Reason.REUSED);
        }
        case "R":
          events.refreshTokenReused(str(r.get(1)), str(r.get(2)));
          return new RefreshResult.Refused(RefreshResult.Reason.REUSED);
        case "O":
          return new RefreshResult.Rotated(new RefreshToken(successor, str(r.get(2)), str(r.get(1)), now,
              Instant.ofEpochMilli(Long.parseLong(str(r.get(3))))), false);
        default:
          throw new IllegalStateException("rotate.lua answered " + r.get(0));
      }
    }
    throw new SessionException("drew " + MAX_TOKEN_DRAWS + " refresh tokens that were all in use; the id "
        + "generator's random source is broken");
  }

  @Override
  public void revokeFamily(String refreshToken) {
    if (!ids.isWellFormed(refreshToken)) {
      return;
    }
    ensureOpen();
    String tag = SessionIdGenerator.tagOf(refreshToken);
    io.evalList(LuaScript.REVOKE_FAMILY, List.of(recordKey(refreshToken)), List.of(keys.base(tag)));
    connector.replicaWait().await("revokeFamily");
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
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

}
