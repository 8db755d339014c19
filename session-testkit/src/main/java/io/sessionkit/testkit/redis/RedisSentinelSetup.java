package io.sessionkit.testkit.redis;

import java.time.Duration;
import java.util.List;

/**
 * A master, a replica of it and a Sentinel monitoring it, started by {@link
 * RedisServers#sentinel()}. Thread-safe.
 */
public final class RedisSentinelSetup implements AutoCloseable {
  /** The name the Sentinel monitors the master under: {@value}. */
  public static final String MASTER_NAME = "sessionkit";

  private final RedisServer master;
  private final RedisServer replica;
  private final RedisServer sentinel;

  RedisSentinelSetup(RedisServer master, RedisServer replica, RedisServer sentinel) {
    this.master = master;
    this.replica = replica;
    this.sentinel = sentinel;
  }

  /**
   * @return the master at start (a failover may promote the replica)
   */
  public RedisServer master() {
    return master;
  }

  /**
   * @return the replica at start
   */
  public RedisServer replica() {
    return replica;
  }

  /**
   * @return the Sentinel process
   */
  public RedisServer sentinel() {
    return sentinel;
  }

  /**
   * The URI a client connects through the Sentinel with.
   *
   * @return {@code redis-sentinel://127.0.0.1:port#sessionkit}
   */
  public String uri() {
    return "redis-sentinel://" + sentinel.address() + "#" + MASTER_NAME;
  }

  /**
   * The address the Sentinel currently names as master.
   *
   * @return {@code host:port}
   */
  public String currentMasterAddress() {
    Object reply = sentinel.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
    if (reply instanceof List<?> l && l.size() == 2) {
      return l.get(0) + ":" + l.get(1);
    }
    throw new IllegalStateException(
        "the Sentinel does not know the master " + MASTER_NAME + ": " + reply);
  }

  /** Deletes every key on the master (the replica follows). */
  public void flushAll() {
    master.flushAll();
  }

  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean synced = "up".equals(replica.info("replication").get("master_link_status"));
      boolean known;
      try {
        known = currentMasterAddress().equals(master.address());
      } catch (RuntimeException e) {
        known = false;
      }
      if (synced && known) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the Sentinel setup did not become ready within "
                + timeout
                + " (replica in sync: "
                + synced
                + ", sentinel knows master: "
                + known
                + ")");
      }
      RedisServers.pause(Duration.ofMillis(50));
    }
  }

  /** Kills the three processes. Idempotent. */
  @Override
  public void close() {
    sentinel.close();
    replica.close();
    master.close();
  }

  @Override
  public String toString() {
    return "RedisSentinelSetup{master="
        + master.address()
        + ", replica="
        + replica.address()
        + ", sentinel="
        + sentinel.address()
        + '}';
  }
}
