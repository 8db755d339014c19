/**
 * Real Redis servers for tests: standalone servers, a Redis Cluster and a Sentinel setup started
 * from the {@code redis-server} binary on free local ports, or an external server named by the
 * {@code REDIS_URL} environment variable. Never a mock.
 *
 * <p>Start with {@link io.sessionkit.testkit.redis.RedisServers}.
 *
 * <p><b>Published API.</b> This package ships in the {@code session-testkit} artifact on purpose: a
 * store or an application that keeps sessions in Redis (or a Redis-compatible server) runs the
 * contract suites against real servers with it, exactly as SessionKit's own Redis, servlet and
 * example tests do. It follows the testkit's compatibility rules; it is test support, so it only
 * ever binds to loopback addresses and never touches a server it did not start, except the one
 * {@code REDIS_URL} names.
 */
@NullMarked
package io.sessionkit.testkit.redis;

import org.jspecify.annotations.NullMarked;
