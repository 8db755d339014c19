package io.sessionkit.redis.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Invalidation counters for a near cache: one per stripe of keys and one for all keys. A reader
 * takes a {@link #stamp} before it reads Redis and may store what it read only if the stamp has not
 * moved since: an invalidation that arrived while the read was in flight (and so may describe a
 * write the read did not see) always wins. Counters only grow, so the sum of a key's stripe and the
 * global counter changes whenever either does. Thread-safe.
 */
public final class Epochs {
  private static final int STRIPES = 1024;

  private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
  private final AtomicLong global = new AtomicLong();

  private static int stripe(String key) {
    return key.hashCode() & (STRIPES - 1);
  }

  /**
   * @return the current stamp of a key
   */
  public long stamp(String key) {
    return stripes.get(stripe(key)) + global.get();
  }

  /**
   * Invalidates one key's stripe.
   *
   * @return the key's stamp after the bump
   */
  public long bump(String key) {
    return stripes.incrementAndGet(stripe(key)) + global.get();
  }

  /** Invalidates every key. */
  public void bumpAll() {
    global.incrementAndGet();
  }
}
