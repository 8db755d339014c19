package io.sessionkit.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.sessionkit.core.StoreUnavailableException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Makes a logout or a revocation durable before it returns: {@code WAIT} until the master's
 * replicas have every write this connection made, so that a failover right after cannot lose it.
 *
 * <p>It waits for every replica the master reports connected ({@code INFO replication}, or {@code
 * WAIT 0 0} where the ACL does not allow {@code info|replication}, read when the connection is
 * opened and again after each reconnect, so after a failover it sees the new master's replicas),
 * and for at least {@code minReplicas}. With no replica and no minimum it sends nothing. If fewer
 * replicas acknowledge within the wait timeout, and they are still connected, the call fails with
 * {@link StoreUnavailableException}: the change is on the master but not known to be durable, and
 * the caller retries (every revocation is idempotent).
 *
 * <p>Where the ACL denies {@code WAIT} as well, {@link #probe()} (at connect) says so: the
 * connector then refuses to connect if a minimum of replicas was required, and otherwise logs a
 * warning once and returns writes as soon as the master has them ({@code Durability.MASTER}), since
 * nothing can be waited for.
 *
 * <p>{@code WAIT} holds the connection it is sent on until the replicas answer (well under a
 * millisecond on a LAN), so every call sharing that connection waits that long too.
 *
 * <p>Thread-safe.
 */
public final class ReplicaWait {
  private static final ReplicaWait NONE = new ReplicaWait(null, 0, Duration.ZERO);

  private final @Nullable RedisClusterCommands<String, String> sync;
  private final int minReplicas;
  private final Duration timeout;

  /** Replicas the master reported connected; -1 until read (again). */
  private volatile int connectedReplicas = -1;

  /** Whether the ACL refused WAIT: then nothing is waited for. */
  private volatile boolean waitDenied;

  private ReplicaWait(
      @Nullable RedisClusterCommands<String, String> sync, int minReplicas, Duration timeout) {
    this.sync = sync;
    this.minReplicas = minReplicas;
    this.timeout = timeout;
  }

  /**
   * @return a wait that never waits
   */
  public static ReplicaWait none() {
    return NONE;
  }

  /**
   * @param sync the connection the writes are made on (WAIT counts that connection's writes)
   * @param minReplicas replicas that must acknowledge even if fewer are connected
   * @param timeout how long WAIT may hold the connection
   * @return the wait; call {@link #refresh()} once the connection is open
   */
  public static ReplicaWait on(
      RedisClusterCommands<String, String> sync, int minReplicas, Duration timeout) {
    return new ReplicaWait(sync, minReplicas, timeout);
  }

  /** Reads how many replicas the master has now: one {@code INFO replication}. Best effort. */
  public void refresh() {
    if (sync == null) {
      return;
    }
    try {
      connectedReplicas = read(sync);
    } catch (RuntimeException e) {
      connectedReplicas = -1; // read again on the next wait
    }
  }

  /**
   * Checks at connect that {@code WAIT} is permitted ({@code WAIT 0 0} answers at once), then reads
   * the replica count.
   *
   * @return null if waits work, else why they cannot (the ACL denies {@code WAIT})
   */
  public @Nullable String probe() {
    RedisClusterCommands<String, String> s = sync;
    if (s == null) {
      return null;
    }
    try {
      s.waitForReplication(0, 0);
    } catch (RedisCommandExecutionException e) {
      if (!noPermission(e)) {
        throw e;
      }
      waitDenied = true;
      return "WAIT is not permitted ("
          + e.getMessage()
          + "): logouts and revocations return once the master has "
          + "them, as with Durability.MASTER; allow +wait for the user, or set min-replicas-to-write on the server";
    }
    refresh();
    return null;
  }

  /**
   * @return whether the ACL refused {@code WAIT} at {@link #probe()}
   */
  public boolean waitDenied() {
    return waitDenied;
  }

  /** Forgets the replica count (the connection was re-established, maybe to another master). */
  public void forget() {
    connectedReplicas = -1;
  }

  /**
   * @return the replica count last read, -1 if none was
   */
  public int connectedReplicas() {
    return connectedReplicas;
  }

  /**
   * Waits until the replicas have this connection's writes.
   *
   * @param what the operation, for the message
   * @throws StoreUnavailableException if fewer replicas than required acknowledged in time
   */
  public void await(String what) {
    RedisClusterCommands<String, String> s = sync;
    if (s == null || waitDenied) {
      return;
    }
    int known = connectedReplicas;
    if (known < 0) {
      known = RedisIo.call("INFO replication", () -> read(s));
      connectedReplicas = known;
    }
    int want = Math.max(known, minReplicas);
    if (want == 0) {
      return;
    }
    Long acked = RedisIo.call("WAIT", () -> s.waitForReplication(want, timeout.toMillis()));
    long got = acked == null ? 0 : acked;
    if (got >= want) {
      return;
    }
    // A replica that went away meanwhile does not count: every replica that is left has the write.
    int now = RedisIo.call("INFO replication", () -> read(s));
    connectedReplicas = now;
    if (got >= Math.max(now, minReplicas)) {
      return;
    }
    throw new StoreUnavailableException(
        what
            + " reached "
            + got
            + " of "
            + want
            + " replicas within "
            + timeout
            + ", so it might not survive a failover; it is applied on the master and may be retried",
        null);
  }

  private static int read(RedisClusterCommands<String, String> sync) {
    String info;
    try {
      info = sync.info("replication");
    } catch (RedisCommandExecutionException e) {
      if (!noPermission(e)) {
        throw e;
      }
      // An ACL without +info|replication: WAIT 0 0 answers at once with the replicas that have
      // this connection's writes, which on a fresh connection is every connected replica.
      Long n = sync.waitForReplication(0, 0);
      return n == null ? 0 : n.intValue();
    }
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("connected_slaves:")) {
        return Integer.parseInt(line.substring("connected_slaves:".length()).trim());
      }
    }
    return 0;
  }

  /**
   * @return whether Redis refused a command because the ACL user may not run it
   */
  public static boolean noPermission(RuntimeException e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOPERM");
  }

  @Override
  public String toString() {
    return sync == null
        ? "ReplicaWait{none}"
        : "ReplicaWait{min="
            + minReplicas
            + ", connected="
            + connectedReplicas
            + ", timeout="
            + timeout
            + '}';
  }
}
