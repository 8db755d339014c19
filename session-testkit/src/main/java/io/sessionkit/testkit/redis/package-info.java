/**
 * Real Redis servers for tests: standalone servers, a Redis Cluster and a Sentinel setup started
 * from the {@code redis-server} binary on free local ports, or an external server named by the
 * {@code REDIS_URL} environment variable. Never a mock.
 *
 * <p>Start with {@link io.sessionkit.testkit.redis.RedisServers}.
 */
@NullMarked
package io.sessionkit.testkit.redis;

import org.jspecify.annotations.NullMarked;
