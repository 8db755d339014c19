package io.sessionkit.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.internal.TokenKeys;
import io.sessionkit.redis.internal.Epochs;
import io.sessionkit.redis.internal.Keys;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenRevocationService} that answers {@link #check} from this process's memory when it
 * can, in front of a {@link RedisTokenRevocationService}; made by
 * {@link NearCache#tokens(RedisTokenRevocationService)}.
 *
 * <p><b>Read order.</b> {@link #check} answers malformed and expired tokens at once (as the
 * delegate does, with no I/O); then, if the near cache is serving, returns the cached answer for the
 * same token id, subject and times if it is younger than {@link NearCacheOptions#maxAge()};
 * otherwise it asks Redis (one command) and caches the answer, unless an invalidation for that token
 * (or any user or global watermark) arrived while the question was in flight. A cached check costs
 * no Redis command.
 *
 * <p><b>Write order.</b> {@link #revoke}, {@link #revokeAllForUser} and
 * {@link #revokeAllIssuedBefore}: Redis first; then the local answers are dropped (the token's,
 * the user's tokens' and sessions', or every token's); then the digest is published to the other
 * servers; then the call returns.
 *
 * <p><b>Staleness bound.</b> Once a revocation returns on one server, every other server refuses
 * the token as soon as the invalidation reaches it, and in every case within
 * {@link NearCacheOptions#maxAge()} (default 1 s), even if the message is lost; see
 * {@link NearCache}. A revocation is never un-done, so an answer of REVOKED that is served a little
 * longer only errs on the safe side.
 *
 * <p>Thread-safe. The {@link io.sessionkit.core.RefreshTokenService} of the delegate is not cached:
 * use the delegate for refresh tokens.
 */
public final class NearCachedTokenRevocationService implements TokenRevocationService, NearCache.Invalidatable {
  private final NearCache near;
  private final RedisTokenRevocationService delegate;
  private final RevocationConfig config;
  private final long maxAgeNanos;
  private final Cache<String, Entry> cache;
  private final Epochs epochs = new Epochs();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final AtomicBoolean open = new AtomicBoolean(true);

  /**
   * One answer, for the claims it was given. The token id itself is not kept (it may be a whole
   * compact token, a secret): the cache key is its digest, and the other claims must match exactly.
   */
  private record Entry(@Nullable String subject, Instant issuedAt, Instant expiresAt, @Nullable String subjectDigest,
      TokenCheck answer, long readAt) {
    boolean answers(TokenClaims c) {
      return Objects.equals(subject, c.subject()) && issuedAt.equals(c.issuedAt()) && expiresAt.equals(c.expiresAt());
    }
  }

  NearCachedTokenRevocationService(NearCache near, RedisTokenRevocationService delegate) {
    this.near = near;
    this.delegate = delegate;
    this.config = delegate.config();
    this.maxAgeNanos = near.options().maxAge().toNanos();
    // Caffeine's expiry only reclaims memory; the bound is checked against Entry.readAt on each hit.
    this.cache = Caffeine.newBuilder()
        .maximumSize(near.options().maximumTokens())
        .expireAfterWrite(near.options().maxAge())
        .executor(Runnable::run)
        .build();
  }

  /** @return how many checks were answered from memory */
  public long hitCount() {
    return hits.sum();
  }

  /** @return how many checks went to Redis */
  public long missCount() {
    return misses.sum();
  }

  /** @return the delegate, for refresh tokens */
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
    if (!token.isWellFormed() || !now.isBefore(token.expiresAt()) || !near.isServing() || !open.get()) {
      return delegate.check(token);
    }
    String digest = TokenKeys.revocationDigest(token.tokenId());
    Entry e = cache.getIfPresent(digest);
    if (e != null && System.nanoTime() - e.readAt < maxAgeNanos && e.answers(token)) {
      hits.increment();
      return e.answer;
    }
    misses.increment();
    long stamp = epochs.stamp(digest);
    long readAt = System.nanoTime();
    TokenCheck answer = delegate.check(token);
    String subject = token.subject();
    Entry fresh = new Entry(subject, token.issuedAt(), token.expiresAt(),
        subject == null ? null : Keys.userDigest(subject), answer, readAt);
    cache.asMap().compute(digest, (k, old) -> epochs.stamp(k) == stamp && near.isServing() ? fresh : old);
    return answer;
  }

  @Override
  public void revoke(TokenClaims token) {
    delegate.revoke(token);
    if (token.isWellFormed()) {
      String digest = TokenKeys.revocationDigest(token.tokenId());
      invalidateToken(digest);
      near.publish(NearCache.TOKEN, List.of(digest));
    }
  }

  @Override
  public Instant revokeAllForUser(String userId, @Nullable String keepSessionId) {
    Instant watermark = delegate.revokeAllForUser(userId, keepSessionId);
    // The delegate may also have ended the user's sessions: the user message reaches session caches too.
    String digest = Keys.userDigest(userId);
    near.invalidateUserLocally(digest);
    near.publish(NearCache.USER, List.of(digest));
    return watermark;
  }

  @Override
  public void revokeAllIssuedBefore(Instant notBefore) {
    delegate.revokeAllIssuedBefore(notBefore);
    invalidateAllTokens();
    near.publish(NearCache.ALL_TOKENS, List.of());
  }

  // ---------------------------------------------------------------------------------------------
  // invalidations (Lettuce's thread)

  @Override
  public void invalidateHandle(String handle) {
    // not a token
  }

  @Override
  public void invalidateUser(String userDigest) {
    epochs.bumpAll();
    cache.asMap().values().removeIf(e -> userDigest.equals(e.subjectDigest));
  }

  @Override
  public void invalidateToken(String tokenDigest) {
    epochs.bump(tokenDigest);
    cache.invalidate(tokenDigest);
  }

  @Override
  public void invalidateAllTokens() {
    invalidateAll();
  }

  @Override
  public void invalidateAll() {
    epochs.bumpAll();
    cache.invalidateAll();
  }

  /** Closes the Redis service (and its connector if it owns one) and stops caching. Idempotent. */
  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      near.forget(this);
      invalidateAll();
      delegate.close();
    }
  }

  @Override
  public String toString() {
    return "NearCachedTokenRevocationService{" + delegate + ", " + near + '}';
  }
}
