package io.sessionkit.redis;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link RedisHealthCheck} found: an overall status and one detail per check, in the order
 * they ran. Details never hold an id, a token, a password or a user. Immutable.
 *
 * @param status the overall status: the worst of the checks
 * @param details check name to what it found, for example {@code redis=reachable}, {@code
 *     evictionPolicy=noeviction (safe)}
 * @param checkedAt when the check ran, by the wall clock
 */
public record HealthReport(Status status, Map<String, String> details, Instant checkedAt) {
  /** The overall verdict. */
  public enum Status {
    /** Every check passed. */
    UP,
    /**
     * The store works and keeps its guarantees, but something that should be up is not: the near
     * cache's subscription is down (every call goes to Redis, fail closed, so it is slower).
     */
    DEGRADED,
    /**
     * The store cannot serve, or cannot keep its guarantees: Redis unreachable within the timeout,
     * an evicting {@code maxmemory-policy}, or fewer replicas than durability requires.
     */
    DOWN
  }

  /**
   * Validates and copies.
   *
   * @param status the status
   * @param details the details, copied in order
   * @param checkedAt when
   */
  public HealthReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(checkedAt, "checkedAt");
    details =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(details, "details")));
  }

  /**
   * @return whether the status is {@link Status#UP}
   */
  public boolean isUp() {
    return status == Status.UP;
  }
}
