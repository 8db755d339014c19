package io.sessionkit.core;

import static io.sessionkit.core.internal.Instants.max;
import static io.sessionkit.core.internal.Instants.min;
import static io.sessionkit.core.internal.Instants.plus;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.sessionkit.core.internal.ClockTicker;
import io.sessionkit.core.internal.Instants;
import io.sessionkit.core.internal.TagLocks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenRevocationService} and {@link RefreshTokenService} kept in this JVM's memory: the
 * embedded default for a single node and for tests. Revocations do not reach other processes (use
 * the {@code session-redis} module for that).
 *
 * <p><b>Revocation.</b> A revoked token leaves a mark under a digest of its id (never the id), kept
 * until {@code min(expiresAt, now + maxRevocationTtl) + clockSkew}; a token that expires later than
 * {@code now + maxRevocationTtl} is marked that long and then refused with an {@link
 * IllegalArgumentException} (see {@link RevocationConfig}). A token expired by less than the skew
 * is still marked. A user watermark is {@code now + clockSkew} and is kept {@link
 * RevocationConfig#watermarkTtl()} plus twice the skew after it was last raised; the global
 * watermark is kept for the life of the service. Watermarks never move backwards; a token's
 * effective watermark is the larger of its user's and the global one. {@link #check} answers, in
 * this order: {@link RevocationReason#MALFORMED} (nothing looked up), {@link
 * RevocationReason#EXPIRED} (nothing looked up), {@link RevocationReason#ALL_REVOKED} (issued
 * before the user's watermark), {@link RevocationReason#GLOBALLY_REVOKED} (before the global one),
 * {@link RevocationReason#REVOKED} (marked), else active. All expiry follows {@link
 * RevocationConfig#clock()}.
 *
 * <p><b>Refresh tokens.</b> Tokens come from {@link RevocationConfig#idGenerator()} in the slot tag
 * of their subject and are stored by digest. Each family records its subject, its absolute expiry
 * and whether it was revoked. A rotation holds the lock of the subject's tag, so one token yields
 * one successor however many threads present it. The successor is kept for the grace window
 * encrypted under a key derived from the presented token ({@link SuccessorCipher}), so memory never
 * holds a usable token. Token records are kept until their expiry plus {@link
 * RevocationConfig#clockSkew()}, which bounds how long reuse is detected (after that a spent token
 * is merely {@link RefreshResult.Reason#UNKNOWN}); family records until the family's absolute
 * expiry plus the skew. Refresh tokens issued before their user's (or the global) watermark are
 * refused with {@link RefreshResult.Reason#REVOKED}; a refresh token issued or rotated while a
 * watermark ahead of now is in force is stamped at that watermark, so that it is not refused by it.
 * A retry within the grace window returns the same successor and is reported with {@link
 * RevocationListener#refreshTokenReplayed}.
 *
 * <p><b>Bound.</b> Nothing is evicted by size: dropping a revocation mark would un-revoke a token.
 * Memory is bounded by the retention times above (marks by {@code maxRevocationTtl}).
 *
 * <p>Thread-safe. Listeners are called on the calling thread after the operation took effect.
 *
 * <pre>{@code
 * SessionStore sessions = InMemorySessionStore.create(SessionConfig.defaults());
 * InMemoryTokenRevocationService tokens =
 *     InMemoryTokenRevocationService.create(RevocationConfig.defaults(), sessions);
 * RefreshToken first = tokens.issue("alice");
 * RefreshResult next = tokens.rotate(first.token());
 * tokens.revokeAllForUser("alice", null);   // ends alice's sessions, refuses her older tokens
 * }</pre>
 */
// "try": the try-with-resources blocks hold tag locks; the resource is the critical section's
// scope.
@SuppressWarnings("try")
public final class InMemoryTokenRevocationService
    implements TokenRevocationService, RefreshTokenService {
  private static final int MAX_TOKEN_DRAWS = 16;

  private final RevocationConfig config;
  private final @Nullable SessionStore sessions;
  private final SessionIdGenerator ids;
  private final RevocationListeners events;
  private final TagLocks locks = new TagLocks();

  /** Revocation mark key to the instant it may be forgotten. */
  private final Cache<String, Instant> marks;

  /** User digest to the user's watermark. */
  private final Cache<String, Instant> userWatermarks;

  private final AtomicReference<Instant> globalWatermark = new AtomicReference<>(Instant.MIN);

  /** Refresh token digest to its record. */
  private final Cache<String, RefreshRecord> refreshTokens;

  /** Family handle to its record. */
  private final Cache<String, Family> families;

  private final LongAdder operations = new LongAdder();

  private InMemoryTokenRevocationService(RevocationConfig config, @Nullable SessionStore sessions) {
    this.config = config;
    this.sessions = sessions;
    this.ids = config.idGenerator();
    this.events = RevocationListeners.of(config);
    ClockTicker ticker = new ClockTicker(config.clock());
    Duration skew = config.clockSkew();
    this.marks = expiringAt(ticker, keepUntil -> keepUntil);
    this.userWatermarks =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfterWrite(config.watermarkTtl().plus(skew).plus(skew))
            .build();
    this.refreshTokens = expiringAt(ticker, r -> plus(r.expiresAt(), skew));
    this.families = expiringAt(ticker, f -> plus(f.absoluteExpiry(), skew));
  }

  /**
   * A service with no session store: {@link #revokeAllForUser} then only sets the watermark.
   *
   * @param config the configuration
   * @return a new, empty service
   */
  public static InMemoryTokenRevocationService create(RevocationConfig config) {
    return create(config, null);
  }

  /**
   * A service that also ends a user's sessions in {@code sessions} when all of the user's tokens
   * are revoked.
   *
   * @param config the configuration
   * @param sessions the store whose sessions {@link #revokeAllForUser} ends (with {@link
   *     EndReason#ALL_REVOKED}), or null
   * @return a new, empty service
   */
  public static InMemoryTokenRevocationService create(
      RevocationConfig config, @Nullable SessionStore sessions) {
    return new InMemoryTokenRevocationService(Objects.requireNonNull(config, "config"), sessions);
  }

  /**
   * The number of operations that reached the backing maps since this service was created: each
   * read or write of a mark, watermark, refresh token or family counts one. A metric, and the proof
   * that malformed input is rejected before any storage access. Expiry done by the caches on their
   * own does not count.
   *
   * @return the count, monotonic
   */
  public long backendOperations() {
    return operations.sum();
  }

  @Override
  public RevocationConfig config() {
    return config;
  }

  /** Nothing to release: the service keeps working after close. */
  @Override
  public void close() {}

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
    Instant cap = plus(now, config.maxRevocationTtl());
    boolean beyondCap = token.expiresAt().isAfter(cap);
    Instant keepUntil = plus(min(token.expiresAt(), cap), skew);
    String digest = TokenKeys.revocationDigest(token.tokenId());
    operations.increment();
    marks.asMap().merge(markKey(token, digest), keepUntil, Instants::max);
    events.tokenRevoked(digest, token.subject());
    if (beyondCap) {
      throw beyondCap(token, now, config);
    }
  }

  /**
   * The refusal of a token that outlives {@link RevocationConfig#maxRevocationTtl()}: shared by the
   * implementations so that they say the same.
   */
  static IllegalArgumentException beyondCap(
      TokenClaims token, Instant now, RevocationConfig config) {
    return new IllegalArgumentException(
        "the token expires at "
            + token.expiresAt()
            + ", "
            + Duration.between(now, token.expiresAt())
            + " from now, beyond RevocationConfig.maxRevocationTtl "
            + config.maxRevocationTtl()
            + ": it is revoked for maxRevocationTtl only and would be accepted again "
            + "after that; issue tokens that live at most maxRevocationTtl, or raise it");
  }

  @Override
  public Instant revokeAllForUser(String userId, @Nullable String keepSessionId) {
    UserIds.requireValid(userId);
    Instant now = now();
    operations.increment();
    // Widened by the skew: a token another server stamped up to clockSkew ahead is refused too.
    Instant watermark =
        userWatermarks.asMap().merge(userKey(userId), plus(now, config.clockSkew()), Instants::max);
    SessionStore store = sessions;
    if (store != null) {
      store.deleteAllForUser(userId, keepSessionId, EndReason.ALL_REVOKED);
    }
    events.userRevoked(userId, watermark);
    return watermark;
  }

  @Override
  public void revokeAllIssuedBefore(Instant notBefore) {
    Objects.requireNonNull(notBefore, "notBefore");
    operations.increment();
    Instant watermark = globalWatermark.accumulateAndGet(notBefore, Instants::max);
    events.allRevoked(watermark);
  }

  @Override
  public TokenCheck check(TokenClaims token) {
    Objects.requireNonNull(token, "token");
    if (!token.isWellFormed()) {
      return TokenCheck.revoked(RevocationReason.MALFORMED);
    }
    if (!now().isBefore(token.expiresAt())) {
      return TokenCheck.revoked(RevocationReason.EXPIRED);
    }
    String subject = token.subject();
    if (subject != null && token.issuedAt().isBefore(userWatermark(subject))) {
      return TokenCheck.revoked(RevocationReason.ALL_REVOKED);
    }
    if (token.issuedAt().isBefore(globalWatermark())) {
      return TokenCheck.revoked(RevocationReason.GLOBALLY_REVOKED);
    }
    operations.increment();
    if (marks.getIfPresent(markKey(token, TokenKeys.revocationDigest(token.tokenId()))) != null) {
      return TokenCheck.revoked(RevocationReason.REVOKED);
    }
    return TokenCheck.active();
  }

  // ---------------------------------------------------------------------------------------------
  // RefreshTokenService

  @Override
  public RefreshToken issue(String subject) {
    UserIds.requireValid(subject);
    Instant now = now();
    Instant absoluteExpiry = plus(now, config.refreshFamilyMaxLifetime());
    Instant expiresAt = min(plus(now, config.refreshTokenTtl()), absoluteExpiry);
    try (TagLocks.Held held = locks.lock(Digests.tagForUser(subject))) {
      String token = newToken(subject);
      String family = TokenKeys.familyHandle(token);
      // Issued after any watermark in force, even one set ahead of now by the clock skew.
      Instant issuedAt = max(now, max(userWatermark(subject), globalWatermark()));
      operations.increment();
      families.put(family, new Family(subject, absoluteExpiry, false));
      operations.increment();
      refreshTokens.put(
          TokenKeys.refreshDigest(token),
          new RefreshRecord(family, subject, issuedAt, expiresAt, null));
      return new RefreshToken(token, subject, family, issuedAt, expiresAt);
    }
  }

  @Override
  public RefreshResult rotate(String refreshToken) {
    if (!ids.isWellFormed(refreshToken)) {
      return refused(RefreshResult.Reason.MALFORMED);
    }
    Instant now = now();
    String key = TokenKeys.refreshDigest(refreshToken);
    List<Runnable> after = new ArrayList<>(1);
    RefreshResult result;
    try (TagLocks.Held held = locks.lock(SessionIdGenerator.tagOf(refreshToken))) {
      result = rotateLocked(refreshToken, key, now, after);
    }
    after.forEach(Runnable::run);
    return result;
  }

  private RefreshResult rotateLocked(
      String presented, String key, Instant now, List<Runnable> after) {
    operations.increment();
    RefreshRecord rec = refreshTokens.getIfPresent(key);
    if (rec == null) {
      return refused(RefreshResult.Reason.UNKNOWN);
    }
    operations.increment();
    Family family = families.getIfPresent(rec.family());
    if (family == null) {
      return refused(RefreshResult.Reason.UNKNOWN);
    }
    if (family.revoked()) {
      return refused(RefreshResult.Reason.REVOKED);
    }
    if (!now.isBefore(rec.expiresAt()) || !now.isBefore(family.absoluteExpiry())) {
      return refused(RefreshResult.Reason.EXPIRED);
    }
    Instant watermark = max(userWatermark(rec.subject()), globalWatermark());
    if (rec.issuedAt().isBefore(watermark)) {
      return refused(RefreshResult.Reason.REVOKED);
    }
    Rotation rotation = rec.rotation();
    if (rotation != null) {
      Duration grace = config.refreshGraceWindow();
      if (!grace.isZero() && now.isBefore(plus(rotation.rotatedAt(), grace))) {
        Optional<String> successor =
            SuccessorCipher.open(presented, rotation.sealedSuccessor(), key);
        if (successor.isPresent()) {
          String familyHandle = rec.family();
          String subject = rec.subject();
          after.add(() -> events.refreshTokenReplayed(familyHandle, subject));
          return new RefreshResult.Rotated(
              new RefreshToken(
                  successor.get(),
                  rec.subject(),
                  rec.family(),
                  rotation.successorIssuedAt(),
                  rotation.successorExpiresAt()),
              true);
        }
        // Cannot open: not what we sealed. Treat like any other reuse.
      }
      operations.increment();
      families.put(rec.family(), family.revoke());
      String familyHandle = rec.family();
      String subject = rec.subject();
      after.add(() -> events.refreshTokenReused(familyHandle, subject));
      return refused(RefreshResult.Reason.REUSED);
    }
    String successor = newToken(rec.subject());
    Instant successorExpiresAt = min(plus(now, config.refreshTokenTtl()), family.absoluteExpiry());
    Instant issuedAt = max(now, watermark);
    operations.increment();
    refreshTokens.put(
        TokenKeys.refreshDigest(successor),
        new RefreshRecord(rec.family(), rec.subject(), issuedAt, successorExpiresAt, null));
    operations.increment();
    refreshTokens.put(
        key,
        rec.rotated(
            new Rotation(
                now,
                SuccessorCipher.seal(presented, successor, key),
                issuedAt,
                successorExpiresAt)));
    return new RefreshResult.Rotated(
        new RefreshToken(successor, rec.subject(), rec.family(), issuedAt, successorExpiresAt),
        false);
  }

  @Override
  public void revokeFamily(String refreshToken) {
    if (!ids.isWellFormed(refreshToken)) {
      return;
    }
    String key = TokenKeys.refreshDigest(refreshToken);
    try (TagLocks.Held held = locks.lock(SessionIdGenerator.tagOf(refreshToken))) {
      operations.increment();
      RefreshRecord rec = refreshTokens.getIfPresent(key);
      if (rec == null) {
        return;
      }
      operations.increment();
      Family family = families.getIfPresent(rec.family());
      if (family != null && !family.revoked()) {
        operations.increment();
        families.put(rec.family(), family.revoke());
      }
    }
  }

  @Override
  public String toString() {
    return "InMemoryTokenRevocationService{" + config + '}';
  }

  // ---------------------------------------------------------------------------------------------

  /** A fresh token in the subject's tag whose digest is unused; runs under that tag's lock. */
  private String newToken(String subject) {
    for (int draw = 1; ; draw++) {
      String token = ids.newIdForUser(subject);
      operations.increment();
      if (refreshTokens.getIfPresent(TokenKeys.refreshDigest(token)) == null) {
        return token;
      }
      if (draw >= MAX_TOKEN_DRAWS) {
        throw new SessionException(
            "drew "
                + draw
                + " refresh tokens that were all in use; the id generator's "
                + "random source is broken");
      }
    }
  }

  private Instant userWatermark(String userId) {
    operations.increment();
    Instant w = userWatermarks.getIfPresent(userKey(userId));
    return w == null ? Instant.MIN : w;
  }

  private Instant globalWatermark() {
    operations.increment();
    // Never null (it starts at Instant.MIN and only moves up); NullAway cannot see through
    // AtomicReference.
    return Objects.requireNonNull(globalWatermark.get(), "globalWatermark");
  }

  private static String markKey(TokenClaims token, String digest) {
    return TokenKeys.revocationTag(token.tokenId(), token.subject()) + ':' + digest;
  }

  private static String userKey(String userId) {
    return Digests.tagForUser(userId) + ':' + TokenKeys.userDigest(userId);
  }

  private static RefreshResult refused(RefreshResult.Reason reason) {
    return new RefreshResult.Refused(reason);
  }

  private Instant now() {
    return config.clock().instant();
  }

  private static <V> Cache<String, V> expiringAt(ClockTicker ticker, Function<V, Instant> until) {
    return Caffeine.newBuilder()
        .ticker(ticker)
        .executor(Runnable::run)
        .expireAfter(
            new Expiry<String, V>() {
              @Override
              public long expireAfterCreate(String key, V value, long currentTime) {
                return ClockTicker.nanosUntil(
                    Instant.EPOCH.plusNanos(currentTime), until.apply(value));
              }

              @Override
              public long expireAfterUpdate(
                  String key, V value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
              }

              @Override
              public long expireAfterRead(
                  String key, V value, long currentTime, long currentDuration) {
                return currentDuration;
              }
            })
        .build();
  }

  /** A refresh-token family: its subject, absolute expiry, and whether it was revoked. */
  private record Family(String subject, Instant absoluteExpiry, boolean revoked) {
    Family revoke() {
      return new Family(subject, absoluteExpiry, true);
    }
  }

  /** A rotated token's successor, sealed for retries within the grace window. */
  private record Rotation(
      Instant rotatedAt,
      String sealedSuccessor,
      Instant successorIssuedAt,
      Instant successorExpiresAt) {}

  /** One refresh token, held by digest; {@code rotation} is set once it was spent. */
  private record RefreshRecord(
      String family,
      String subject,
      Instant issuedAt,
      Instant expiresAt,
      @Nullable Rotation rotation) {
    RefreshRecord rotated(Rotation r) {
      return new RefreshRecord(family, subject, issuedAt, expiresAt, r);
    }
  }
}
