package io.sessionkit.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The idle (sliding) and absolute (maximum lifetime) timeouts of a session; either or both.
 *
 * <p>A session expires at {@code min(lastAccessedAt + idle, createdAt + absolute)}, ignoring a
 * timeout that is absent. Used as the default of a {@link TtlPolicy} and as a per-session override
 * ("remember me") through {@link SessionChanges.Builder#timeouts(Timeouts)} and {@link
 * LoginOptions.Builder#timeouts(Timeouts)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Timeouts {
  private final @Nullable Duration idle;
  private final @Nullable Duration absolute;

  private Timeouts(@Nullable Duration idle, @Nullable Duration absolute) {
    if (idle == null && absolute == null) {
      throw new IllegalArgumentException(
          "a session needs an idle timeout, an absolute timeout or both");
    }
    this.idle = idle == null ? null : positive("idle", idle);
    this.absolute = absolute == null ? null : positive("absolute", absolute);
  }

  /**
   * Only an idle timeout: the session lives as long as it is used at least once per {@code idle}.
   *
   * @param idle the idle timeout, positive
   * @return the timeouts
   * @throws IllegalArgumentException if {@code idle} is zero or negative
   */
  public static Timeouts idle(Duration idle) {
    return new Timeouts(Objects.requireNonNull(idle, "idle"), null);
  }

  /**
   * Only an absolute timeout: the session ends {@code absolute} after its creation, however active.
   *
   * @param absolute the maximum lifetime, positive
   * @return the timeouts
   * @throws IllegalArgumentException if {@code absolute} is zero or negative
   */
  public static Timeouts absolute(Duration absolute) {
    return new Timeouts(null, Objects.requireNonNull(absolute, "absolute"));
  }

  /**
   * Both timeouts; either may be {@code null} but not both.
   *
   * @param idle the idle timeout, or {@code null} for none
   * @param absolute the maximum lifetime, or {@code null} for none
   * @return the timeouts
   * @throws IllegalArgumentException if both are null or either is zero or negative
   */
  public static Timeouts of(@Nullable Duration idle, @Nullable Duration absolute) {
    return new Timeouts(idle, absolute);
  }

  /**
   * The idle timeout.
   *
   * @return the idle timeout, empty if the session has none
   */
  public Optional<Duration> idle() {
    return Optional.ofNullable(idle);
  }

  /**
   * The absolute timeout.
   *
   * @return the maximum lifetime, empty if the session has none
   */
  public Optional<Duration> absolute() {
    return Optional.ofNullable(absolute);
  }

  /**
   * When a session with these timeouts expires.
   *
   * @param createdAt when the session was created
   * @param lastAccessedAt when the session was last touched
   * @return {@code min(lastAccessedAt + idle, createdAt + absolute)} over the timeouts present
   */
  public Instant expiresAt(Instant createdAt, Instant lastAccessedAt) {
    Instant byIdle = idle == null ? Instant.MAX : lastAccessedAt.plus(idle);
    Instant byAbsolute = absolute == null ? Instant.MAX : createdAt.plus(absolute);
    return byIdle.isBefore(byAbsolute) ? byIdle : byAbsolute;
  }

  /**
   * Which timeout ends a session that expires at {@link #expiresAt(Instant, Instant)}.
   *
   * @param createdAt when the session was created
   * @param lastAccessedAt when the session was last touched
   * @return {@link EndReason#ABSOLUTE_TIMEOUT} if the absolute deadline comes first (or at the same
   *     time), else {@link EndReason#IDLE_TIMEOUT}
   */
  public EndReason expiryReason(Instant createdAt, Instant lastAccessedAt) {
    if (absolute == null) {
      return EndReason.IDLE_TIMEOUT;
    }
    if (idle == null) {
      return EndReason.ABSOLUTE_TIMEOUT;
    }
    return createdAt.plus(absolute).isAfter(lastAccessedAt.plus(idle))
        ? EndReason.IDLE_TIMEOUT
        : EndReason.ABSOLUTE_TIMEOUT;
  }

  private static Duration positive(String name, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " timeout must be positive, was " + d);
    }
    return d;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Timeouts t
        && Objects.equals(idle, t.idle)
        && Objects.equals(absolute, t.absolute);
  }

  @Override
  public int hashCode() {
    return Objects.hash(idle, absolute);
  }

  @Override
  public String toString() {
    return "Timeouts{idle=" + idle + ", absolute=" + absolute + '}';
  }
}
