/**
 * SessionKit on Redis: {@link io.sessionkit.redis.RedisSessionStore} and {@link
 * io.sessionkit.redis.RedisTokenRevocationService}, sharing one Lettuce connection through a {@link
 * io.sessionkit.redis.RedisConnector} configured by {@link io.sessionkit.redis.RedisOptions}
 * (standalone, TLS, Sentinel or Cluster).
 *
 * <p>Every operation is one Lua script (EVALSHA) on one hash slot; see the module README for the
 * key layout and the command budget.
 */
@NullMarked
package io.sessionkit.redis;

import org.jspecify.annotations.NullMarked;
