package io.sessionkit.testkit.redis;

import java.time.Duration;
import java.util.List;

/**
 * A Redis Cluster started by {@link RedisServers#cluster(int)}: N masters on 127.0.0.1, all 16384
 * slots assigned, no replicas. Thread-safe.
 */
public final class RedisCluster implements AutoCloseable {
  private final List<RedisServer> masters;

  RedisCluster(List<RedisServer> masters) {
    this.masters = List.copyOf(masters);
  }

  /**
   * @return the master nodes, in port order of creation
   */
  public List<RedisServer> masters() {
    return masters;
  }

  /**
   * The seed list a cluster client starts from.
   *
   * @return one {@code redis://127.0.0.1:port} URI per master
   */
  public List<String> seedUris() {
    return masters.stream().map(RedisServer::uri).toList();
  }

  /** Deletes every key on every master. */
  public void flushAll() {
    masters.forEach(RedisServer::flushAll);
  }

  /**
   * The sum of a numeric {@code INFO} field over the masters, e.g. {@code used_memory}.
   *
   * @param section the INFO section
   * @param field the field
   * @return the sum
   */
  public long sumInfo(String section, String field) {
    return masters.stream()
        .mapToLong(m -> Long.parseLong(m.info(section).getOrDefault(field, "0")))
        .sum();
  }

  void awaitOk(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ok = true;
      for (RedisServer m : masters) {
        Object info = m.call("CLUSTER", "INFO");
        ok &=
            "ok".equals(RedisServers.field(info, "cluster_state"))
                && "16384".equals(RedisServers.field(info, "cluster_slots_ok"))
                && String.valueOf(masters.size())
                    .equals(RedisServers.field(info, "cluster_known_nodes"));
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the Redis Cluster on "
                + masters
                + " did not reach cluster_state:ok within "
                + timeout);
      }
      RedisServers.pause(Duration.ofMillis(50));
    }
  }

  /** Kills every node. Idempotent. */
  @Override
  public void close() {
    masters.forEach(RedisServer::close);
  }

  @Override
  public String toString() {
    return "RedisCluster" + masters;
  }
}
