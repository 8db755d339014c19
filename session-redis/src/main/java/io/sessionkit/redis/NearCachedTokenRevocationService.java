package io.sessionkit.redis;

import io.sessionkit.core.Digests;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenKeys;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.UserIds;
import io.sessionkit.redis.internal.Keys;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenRevocationService} that answers {@link #check} from this process's memory when it
 * can, in front of a {@link RedisTokenRevocationService}; made by {@link
 * NearCache#tokens(RedisTokenRevocationService)}.
 *
 * <p><b>Read order.</b> {@link #check} answers malformed and expired tokens at once (as the
 * delegate does, with no I/O); then, if the near cache is serving, returns the cached answer for
 * the same token id, subject and times if it is younger than {@link NearCacheOptions#maxAge()};
 * otherwise it asks Redis (one command) and caches the answer, unless an invalidation for that
 * token (or any user or global watermark) arrived while the question was in flight. A cached check
 * costs no Redis command.
 *
 * <p><b>Write order.</b> {@link #revoke}, {@link #revokeAllForUser} and {@link
 * #revokeAllIssuedBefore}: Redis first; then the local answers are dropped (the token's, the user's
 * tokens' and sessions', or every token's); then the digest is published to the other servers; then
 * the call returns.
 *
 * <p><b>Staleness bound.</b> Once a revocation returns on one server, every other server refuses
 * the token as soon as the invalidation reaches it, and in every case within {@link
 * NearCacheOptions#maxAge()} (default 1 s), even if the message is lost; see {@link NearCache}. A
 * revocation is never un-done, so an answer of REVOKED that is served a little longer only errs on
 * the safe side.
 *
 * <p>Thread-safe. The {@link io.sessionkit.core.RefreshTokenService} of the delegate is not cached:
 * use the delegate for refresh tokens.
 */
public final class NearCachedTokenRevocationService
    implements TokenRevocationService, NearCache.Invalidatable {
  private final NearCache near;
  private final RedisTokenRevocationService delegate;
  private final RevocationConfig config;
  private final NearEntries<Entry> local;

  /**
   * One answer, for the claims it was given. The token id itself is not kept (it may be a whole
   * compact token, a secret): the cache key is its digest, and the other claims must match exactly.
   */
  private record Entry(
      @Nullable String subject,
      Instant issuedAt,
      Instant expiresAt,
      @Nullable String userDigest,
      TokenCheck answer,
      long readAt)
      implements NearEntries.Entry {
    boolean answers(TokenClaims c) {
      return Objects.equals(subject, c.subject())
          && issuedAt.equals(c.issuedAt())
          && expiresAt.equals(c.expiresAt());
    }
  }

  NearCachedTokenRevocationService(NearCache near, RedisTokenRevocationService delegate) {
    this.near = near;
    this.delegate = delegate;
    this.config = delegate.config();
    this.local = new NearEntries<>(near, near.options().maximumTokens());
  }

  /**
   * @return how many checks were answered from memory
   */
  public long hitCount() {
    return local.hitCount();
  }

  /**
   * @return how many checks went to Redis
   */
  public long missCount() {
    return local.missCount();
  }

  /**
   * @return about how many answers this process holds now (for a cache size gauge)
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
   * @return the delegate, for refresh tokens
   */
  public RedisTokenRevocationService delegate() {
    return delegate;
  }

  @Override
  public RevocationConfig config() {
    return config;
  }

  @Override
  public TokenCheck check(TokenClaims token) {
    Objects.requireNonNull(token, "token");
    Instant now = config.clock().instant();
    if (!token.isWellFormed() || !now.isBefore(token.expiresAt()) || !local.isServing()) {
      return delegate.check(token);
    }
    String digest = TokenKeys.revocationDigest(token.tokenId());
    Entry e = local.fresh(digest);
    if (e != null && e.answers(token)) {
      local.hit();
      return e.answer;
    }
    local.miss();
    long stamp = local.stamp(digest);
    long readAt = System.nanoTime();
    TokenCheck answer = delegate.check(token);
    String subject = token.subject();
    Entry fresh =
        new Entry(
            subject,
            token.issuedAt(),
            token.expiresAt(),
            subject == null ? null : Keys.userDigest(subject),
            answer,
            readAt);
    local.putIfUnchanged(digest, stamp, fresh);
    return answer;
  }

  @Override
  public void revoke(TokenClaims token) {
    Objects.requireNonNull(token, "token");
    try {
      delegate.revoke(token);
    } finally {
      // Also when the call failed after the mark was written (a WAIT for the replicas that timed
      // out): a REVOKED answer served early only errs on the safe side.
      if (token.isWellFormed()) {
        String digest = TokenKeys.revocationDigest(token.tokenId());
        invalidateToken(digest);
        near.publish(
            NearCache.TOKEN,
            TokenKeys.revocationTag(token.tokenId(), token.subject()),
            List.of(digest));
      }
    }
  }

  @Override
  public Instant revokeAllForUser(String userId, @Nullable String keepSessionId) {
    UserIds.requireValid(userId); // bad input costs no command, not even a PUBLISH
    try {
      return delegate.revokeAllForUser(userId, keepSessionId);
    } finally {
      // The delegate may also have ended the user's sessions: the user message reaches session
      // caches too. Also when the call failed after the watermark was written.
      String digest = Keys.userDigest(userId);
      near.invalidateUserLocally(digest);
      near.publish(NearCache.USER, Digests.tagForUser(userId), List.of(digest));
    }
  }

  @Override
  public void revokeAllIssuedBefore(Instant notBefore) {
    Objects.requireNonNull(notBefore, "notBefore");
    try {
      delegate.revokeAllIssuedBefore(notBefore);
    } finally {
      // also when some slots failed: the others may already be revoked
      invalidateAllTokens();
      near.publish(NearCache.ALL_TOKENS, Digests.tagOf(0), List.of());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // invalidations (Lettuce's thread)

  @Override
  public void invalidateHandle(String handle) {
    // not a token
  }

  @Override
  public void invalidateUser(String userDigest) {
    local.dropUser(userDigest);
  }

  @Override
  public void invalidateToken(String tokenDigest) {
    local.drop(tokenDigest);
  }

  @Override
  public void invalidateAllTokens() {
    invalidateAll();
  }

  @Override
  public void invalidateAll() {
    local.dropAll();
  }

  /** Closes the Redis service (and its connector if it owns one) and stops caching. Idempotent. */
  @Override
  public void close() {
    local.close(this, delegate::close);
  }

  @Override
  public String toString() {
    return "NearCachedTokenRevocationService{" + delegate + ", " + near + '}';
  }
}
