package io.sessionkit.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sessionkit.redis.internal.Epochs;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The local memory of one near-cached service ({@link NearCachedSessionStore}, {@link
 * NearCachedTokenRevocationService}): answers keyed by a digest, each stamped with the {@link
 * System#nanoTime()} before the Redis read that produced it, and the {@link Epochs} that keep an
 * answer read before an invalidation from being stored after it. Also the service's open flag and
 * hit and miss counters. Thread-safe.
 *
 * @param <E> the cached answer
 */
final class NearEntries<E extends NearEntries.Entry> {
  /** What every cached answer carries. */
  interface Entry {
    /**
     * @return the {@link System#nanoTime()} before the read that produced the answer
     */
    long readAt();

    /**
     * @return the digest of the user the answer is about, or null if none
     */
    @Nullable String userDigest();
  }

  private final NearCache near;
  private final long maxAgeNanos;
  private final Cache<String, E> cache;
  private final Epochs epochs = new Epochs();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final AtomicBoolean open = new AtomicBoolean(true);

  NearEntries(NearCache near, long maximumSize) {
    this.near = near;
    this.maxAgeNanos = near.options().maxAge().toNanos();
    // Caffeine's expiry only reclaims memory; the bound is checked against Entry.readAt on each
    // hit.
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .expireAfterWrite(near.options().maxAge())
            .executor(Runnable::run)
            // Evictions are counted for metrics (cache.evictions); the other statistics are not
            // read.
            .recordStats()
            .build();
  }

  /**
   * @return whether the service is open and its near cache serving: only then may memory answer
   */
  boolean isServing() {
    return open.get() && near.isServing();
  }

  /**
   * @return the entry for {@code key} if it is younger than {@link NearCacheOptions#maxAge()}
   */
  @Nullable E fresh(String key) {
    E e = cache.getIfPresent(key);
    return e != null && System.nanoTime() - e.readAt() < maxAgeNanos ? e : null;
  }

  /**
   * @return the entry for {@code key}, whatever its age
   */
  @Nullable E get(String key) {
    return cache.getIfPresent(key);
  }

  /**
   * @return the key's epoch stamp, to take before a Redis read
   */
  long stamp(String key) {
    return epochs.stamp(key);
  }

  /**
   * Invalidates the key's epoch without dropping its entry (a write that patches the entry itself).
   *
   * @return the key's stamp after the bump
   */
  long bump(String key) {
    return epochs.bump(key);
  }

  /** Caches what a read found, unless an invalidation of that key arrived since the read began. */
  void putIfUnchanged(String key, long stamp, E e) {
    cache.asMap().compute(key, (k, old) -> epochs.stamp(k) == stamp && near.isServing() ? e : old);
  }

  /**
   * @return whether {@code key} still mapped to {@code expected} and now maps to {@code e}
   */
  boolean replace(String key, E expected, E e) {
    return cache.asMap().replace(key, expected, e);
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  long hitCount() {
    return hits.sum();
  }

  long missCount() {
    return misses.sum();
  }

  /**
   * @return about how many answers are held (Caffeine's estimate)
   */
  long size() {
    return cache.estimatedSize();
  }

  /**
   * @return how many answers left for lack of room or past their age, not by invalidation
   */
  long evictionCount() {
    return cache.stats().evictionCount();
  }

  /** Drops one key, and makes any read of it in flight unable to store what it read. */
  void drop(String key) {
    epochs.bump(key);
    cache.invalidate(key);
  }

  /** Drops every answer about one user, and makes every read in flight unable to store. */
  void dropUser(String userDigest) {
    epochs.bumpAll();
    cache.asMap().values().removeIf(e -> userDigest.equals(e.userDigest()));
  }

  /** Drops everything, and makes every read in flight unable to store. */
  void dropAll() {
    epochs.bumpAll();
    cache.invalidateAll();
  }

  /**
   * Closes the service once: stops {@code owner} receiving invalidations, drops everything, then
   * closes the delegate. Idempotent.
   */
  void close(NearCache.Invalidatable owner, Runnable closeDelegate) {
    if (open.compareAndSet(true, false)) {
      near.forget(owner);
      dropAll();
      closeDelegate.run();
    }
  }
}
