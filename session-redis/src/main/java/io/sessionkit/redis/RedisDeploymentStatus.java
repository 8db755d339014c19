package io.sessionkit.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RedisConnector} found out about the Redis deployment it talks to, for a health check:
 * the eviction policy read at connect ({@code INFO memory}), whether durable waits for replicas are
 * possible ({@code WAIT}), and whether a store that lost its memory (a flush, a restart without
 * persistence) was detected since. Read it with {@link RedisConnector#deploymentStatus()}.
 *
 * <p>{@link #healthy()} is false while the guarantees do not hold: Redis may evict keys (a policy
 * other than {@code noeviction}, accepted with {@link
 * RedisOptions.OnEvictingPolicy#ALLOW_AND_WARN}). What SessionKit could not check, and a memory
 * loss it detected and answered (every earlier token is refused), are listed in {@link #warnings()}
 * without making the status unhealthy.
 *
 * <p>Immutable and thread-safe: a snapshot; the connector replaces it when it learns more.
 */
public final class RedisDeploymentStatus {
  private final @Nullable String maxmemoryPolicy;
  private final boolean evicting;
  private final List<String> warnings;
  private final @Nullable Instant memoryLossDetectedAt;

  RedisDeploymentStatus(
      @Nullable String maxmemoryPolicy,
      boolean evicting,
      List<String> warnings,
      @Nullable Instant memoryLossDetectedAt) {
    this.maxmemoryPolicy = maxmemoryPolicy;
    this.evicting = evicting;
    this.warnings = List.copyOf(warnings);
    this.memoryLossDetectedAt = memoryLossDetectedAt;
  }

  /**
   * The {@code maxmemory_policy} Redis reported at connect; on Cluster, the first evicting one of
   * any master, else the masters' common one.
   *
   * @return the policy, or empty if it could not be read (for example an ACL without {@code INFO})
   */
  public Optional<String> maxmemoryPolicy() {
    return Optional.ofNullable(maxmemoryPolicy);
  }

  /**
   * @return whether Redis may evict keys, so that a revocation can be lost under memory pressure
   */
  public boolean evicting() {
    return evicting;
  }

  /**
   * When this process last found that Redis had lost its memory (and answered by refusing every
   * token issued before then).
   *
   * @return the instant of detection, by the detecting service's clock, or empty if never
   */
  public Optional<Instant> memoryLossDetectedAt() {
    return Optional.ofNullable(memoryLossDetectedAt);
  }

  /**
   * @return false while Redis may evict keys; true otherwise
   */
  public boolean healthy() {
    return !evicting;
  }

  /**
   * @return human-readable findings: what is unsafe, what could not be checked, what was detected
   */
  public List<String> warnings() {
    return warnings;
  }

  RedisDeploymentStatus withMemoryLoss(Instant at, String warning) {
    List<String> w = new ArrayList<>(warnings);
    w.removeIf(s -> s.startsWith(MEMORY_LOSS));
    w.add(warning);
    return new RedisDeploymentStatus(maxmemoryPolicy, evicting, w, at);
  }

  static final String MEMORY_LOSS = "Redis lost its memory";

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RedisDeploymentStatus s
        && Objects.equals(maxmemoryPolicy, s.maxmemoryPolicy)
        && evicting == s.evicting
        && warnings.equals(s.warnings)
        && Objects.equals(memoryLossDetectedAt, s.memoryLossDetectedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxmemoryPolicy, evicting, warnings, memoryLossDetectedAt);
  }

  @Override
  public String toString() {
    return "RedisDeploymentStatus{"
        + (healthy() ? "healthy" : "UNHEALTHY")
        + ", maxmemoryPolicy="
        + (maxmemoryPolicy == null ? "unknown" : maxmemoryPolicy)
        + ", warnings="
        + warnings
        + '}';
  }
}
