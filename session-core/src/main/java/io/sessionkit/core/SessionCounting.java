package io.sessionkit.core;

/**
 * An optional capability of a {@link SessionStore}: it can tell, cheaply and without listing keys,
 * how many sessions are live and how many users are signed in across every server sharing it. Meant
 * for gauges polled every few seconds, not for request paths.
 *
 * <p>Each implementation states its cost and whether its figures are exact; the in-memory store
 * counts what it holds, the Redis store reads counters its scripts maintain.
 *
 * <p>Implementations are thread-safe.
 */
public interface SessionCounting {
  /**
   * Counts the live sessions and the signed-in users now, by the store's clock.
   *
   * @return the counts
   * @throws StoreUnavailableException if the backend cannot be reached
   * @throws IllegalStateException if counting is not enabled for this store
   */
  SessionCounts countSessions();
}
