package io.sessionkit.redis.internal;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Every Redis call of the store goes through here: scripts by EVALSHA (EVAL on NOSCRIPT, which also
 * reloads the script, for instance after a restart or a failover), plain SETs, and the one place
 * where Lettuce's exceptions become SessionKit's. Thread-safe: Lettuce connections are.
 */
public final class RedisIo {
  private static final String[] NO_STRINGS = new String[0];

  private final RedisClusterCommands<String, String> sync;
  private final RedisClusterAsyncCommands<String, String> async;
  private final Duration timeout;
  private final boolean waitForNodeConnections;

  /**
   * @param sync the synchronous view of the shared connection (its timeout is the command timeout)
   * @param async the asynchronous view of the same connection, for pipelined batches
   * @param timeout the command timeout, bounding batches too
   * @param waitForNodeConnections whether a command rejected because its node's connection is not
   *     (yet) open is retried until the command timeout: Redis Cluster, where Lettuce opens node
   *     connections lazily and rejects commands while one is pending; a standalone connection fails
   *     fast instead
   */
  public RedisIo(
      RedisClusterCommands<String, String> sync,
      RedisClusterAsyncCommands<String, String> async,
      Duration timeout,
      boolean waitForNodeConnections) {
    this.sync = sync;
    this.async = async;
    this.timeout = timeout;
    this.waitForNodeConnections = waitForNodeConnections;
  }

  /**
   * Runs a script that returns a table.
   *
   * @return the reply: nested lists of String and Long
   */
  public List<Object> evalList(LuaScript script, List<String> keys, List<String> args) {
    return eval(script, ScriptOutputType.MULTI, keys, args);
  }

  /** Runs a script that returns an integer. */
  public long evalLong(LuaScript script, List<String> keys, List<String> args) {
    Long v = eval(script, ScriptOutputType.INTEGER, keys, args);
    return v;
  }

  /** Runs a script that returns a string. */
  public String evalString(LuaScript script, List<String> keys, List<String> args) {
    return eval(script, ScriptOutputType.VALUE, keys, args);
  }

  @SuppressWarnings(
      "TypeParameterUnusedInFormals") // T is the reply type that `type` makes Lettuce return
  private <T> T eval(
      LuaScript script, ScriptOutputType type, List<String> keys, List<String> args) {
    String[] k = keys.toArray(NO_STRINGS);
    String[] a = args.toArray(NO_STRINGS);
    return call(
        script.toString(),
        () ->
            withRetry(
                () -> {
                  try {
                    return sync.<T>evalsha(script.sha(), type, k, a);
                  } catch (RedisNoScriptException e) {
                    return sync.<T>eval(script.source(), type, k, a);
                  }
                }));
  }

  /**
   * Retries a command that did not run (so retrying cannot apply it twice), on Cluster only, until
   * the command timeout: one Lettuce rejected before sending it, or one Redis answered TRYAGAIN
   * during a slot migration.
   */
  private <T> T withRetry(Supplier<T> body) {
    if (!waitForNodeConnections) {
      return body.get();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return body.get();
      } catch (RedisException e) {
        boolean notRun =
            e instanceof RedisCommandExecutionException ? tryAgain(e) : rejectedBeforeSending(e);
        if (!notRun || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(5);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * TRYAGAIN: a script whose keys are split by a slot migration in progress (Redis Cluster). Redis
   * did not run it, so it is retried, like a command Lettuce has not sent, until the timeout.
   */
  private static boolean tryAgain(RedisException e) {
    String m = e.getMessage();
    return m != null && m.startsWith("TRYAGAIN");
  }

  private static boolean rejectedBeforeSending(RedisException e) {
    String m = e.getMessage();
    return m != null && m.startsWith("Currently not connected");
  }

  /**
   * Runs one script many times, pipelined on the shared connection (Cluster routes each to its
   * node), and waits for all of them within the command timeout.
   *
   * @return the string each run returned, in order
   */
  public List<String> evalBatch(LuaScript script, List<List<String>> keys, List<String> args) {
    String[] a = args.toArray(NO_STRINGS);
    return call(
        script + " batch",
        () -> {
          List<RedisFuture<String>> futures = new ArrayList<>(keys.size());
          for (List<String> k : keys) {
            futures.add(
                async.evalsha(script.sha(), ScriptOutputType.VALUE, k.toArray(NO_STRINGS), a));
          }
          long deadline = System.nanoTime() + timeout.toNanos() * 4;
          List<String> results = new ArrayList<>(futures.size());
          for (int i = 0; i < futures.size(); i++) {
            try {
              results.add(
                  futures
                      .get(i)
                      .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
              String[] k = keys.get(i).toArray(NO_STRINGS);
              if (e.getCause() instanceof RedisNoScriptException) {
                results.add(
                    withRetry(
                        () -> sync.<String>eval(script.source(), ScriptOutputType.VALUE, k, a)));
              } else if (waitForNodeConnections
                  && e.getCause() instanceof RedisException re
                  && rejectedBeforeSending(re)) {
                results.add(
                    withRetry(
                        () -> {
                          try {
                            return sync.<String>evalsha(script.sha(), ScriptOutputType.VALUE, k, a);
                          } catch (RedisNoScriptException nse) {
                            return sync.<String>eval(script.source(), ScriptOutputType.VALUE, k, a);
                          }
                        }));
              } else if (e.getCause() instanceof RuntimeException re) {
                throw re;
              } else {
                throw new RedisException(e.getCause());
              }
            } catch (TimeoutException e) {
              throw new StoreUnavailableException(
                  "Redis did not answer " + script + " batch within " + timeout, e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new StoreUnavailableException("interrupted while waiting for Redis", e);
            }
          }
          return results;
        });
  }

  /**
   * Loads every script (on every master, on Cluster) so that the first EVALSHA of each finds it.
   * Best effort: a script missing later (restart, failover, SCRIPT FLUSH) is sent with EVAL.
   */
  public void preloadScripts() {
    try {
      for (LuaScript s : LuaScript.values()) {
        sync.scriptLoad(s.source());
      }
    } catch (RedisException e) {
      // not fatal: EVALSHA falls back to EVAL on NOSCRIPT
    }
  }

  /**
   * {@code PUBLISH channel message}: the near cache's invalidations.
   *
   * @return how many subscribers received it
   */
  public long publish(String channel, String message) {
    Long n = call("PUBLISH", () -> sync.publish(channel, message));
    return n == null ? 0 : n;
  }

  /**
   * {@code HGETALL key}: a plain read (no script): the common session read, and the read that names
   * the keys a script must then declare.
   *
   * @return field to value, empty if the key does not exist
   */
  public Map<String, String> hgetall(String key) {
    Map<String, String> m = call("HGETALL", () -> withRetry(() -> sync.hgetall(key)));
    return m == null ? Map.of() : m;
  }

  /**
   * {@code ZREVRANGE key 0 count-1}: the members with the highest scores.
   *
   * @return the members, highest score first
   */
  public List<String> zrevrange(String key, int count) {
    List<String> l = call("ZREVRANGE", () -> withRetry(() -> sync.zrevrange(key, 0, count - 1L)));
    return l == null ? List.of() : l;
  }

  /**
   * {@code PING}, bounded by {@code timeout} rather than the command timeout: the health check's
   * "reachable" (not used on any request path).
   *
   * @throws StoreUnavailableException if Redis does not answer PONG within the timeout
   */
  public void ping(Duration timeout) {
    String pong = await("PING", async.ping(), timeout);
    if (!"PONG".equalsIgnoreCase(pong)) {
      throw new SessionException("Redis answered PING with " + pong);
    }
  }

  /**
   * {@code INFO section}, parsed into its {@code field:value} lines, bounded by {@code timeout}:
   * the health check's eviction policy and replicas (not used on any request path). On Cluster, one
   * node answers.
   *
   * @throws StoreUnavailableException if Redis does not answer within the timeout
   */
  public Map<String, String> info(String section, Duration timeout) {
    String raw = await("INFO", async.info(section), timeout);
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : raw.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  private static <T> T await(String what, RedisFuture<T> future, Duration timeout) {
    return call(
        what,
        () -> {
          try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
          } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re
                ? re
                : new RedisException(e.getCause());
          } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreUnavailableException(
                "Redis did not answer " + what + " within " + timeout, e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for Redis", e);
          }
        });
  }

  /**
   * {@code ZCOUNT key (min +inf} for many keys, pipelined on the shared connection (Cluster routes
   * each to its node), waited for within the command timeout: the cluster-wide counts.
   *
   * @return the sum of the counts
   */
  public long zcountSum(List<String> keys, long exclusiveMin) {
    Range<Long> range =
        Range.from(Range.Boundary.excluding(exclusiveMin), Range.Boundary.unbounded());
    return call(
        "ZCOUNT batch",
        () -> {
          List<RedisFuture<Long>> futures = new ArrayList<>(keys.size());
          for (String k : keys) {
            futures.add(async.zcount(k, range));
          }
          long deadline = System.nanoTime() + timeout.toNanos();
          long sum = 0;
          for (RedisFuture<Long> f : futures) {
            try {
              Long n = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
              sum += n == null ? 0 : n;
            } catch (ExecutionException e) {
              throw e.getCause() instanceof RuntimeException re
                  ? re
                  : new RedisException(e.getCause());
            } catch (TimeoutException e) {
              throw new StoreUnavailableException(
                  "Redis did not answer the ZCOUNT batch within " + timeout, e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new StoreUnavailableException("interrupted while waiting for Redis", e);
            }
          }
          return sum;
        });
  }

  /**
   * {@code SPUBLISH channel message}: the near cache's invalidations on Redis Cluster, routed to
   * the shard that serves the channel's slot.
   *
   * @return how many subscribers received it
   */
  public long spublish(String channel, String message) {
    Long n = call("SPUBLISH", () -> withRetry(() -> sync.spublish(channel, message)));
    return n == null ? 0 : n;
  }

  /** {@code SET key value PX ttlMillis}. */
  public void setPx(String key, String value, long ttlMillis) {
    call("SET", () -> sync.set(key, value, SetArgs.Builder.px(ttlMillis)));
  }

  /**
   * Runs a Redis call and translates Lettuce's exceptions: the one place that does.
   *
   * @param what the operation, for the message (never an id or a token)
   * @param body the call
   * @return what the call returned
   * @throws StoreUnavailableException if Redis cannot be reached, times out, or is not ready to
   *     serve
   * @throws SessionException if Redis refused the command for another reason
   */
  public static <T> T call(String what, Supplier<T> body) {
    try {
      return body.get();
    } catch (RedisCommandExecutionException e) {
      throw transientError(e.getMessage())
          ? new StoreUnavailableException(
              "Redis cannot serve " + what + " now: " + e.getMessage(), e)
          : new SessionException("Redis refused " + what + ": " + e.getMessage(), e);
    } catch (RedisException e) {
      throw new StoreUnavailableException(
          "Redis unavailable for " + what + ": " + e.getMessage(), e);
    }
  }

  private static boolean transientError(@Nullable String message) {
    if (message == null) {
      return false;
    }
    String m = message.toUpperCase(Locale.ROOT);
    for (String prefix :
        new String[] {
          "READONLY",
          "LOADING",
          "MASTERDOWN",
          "CLUSTERDOWN",
          "TRYAGAIN",
          "BUSY",
          "NOREPLICAS",
          "MOVED",
          "ASK",
          "OOM",
          "NOAUTH"
        }) {
      if (m.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What {@link #evalBatchEach} got back: each run's string, or null where that run failed, and one
   * of the failures.
   *
   * @param results one entry per run, in order; null for a run that failed or did not answer in
   *     time
   * @param failure an exception of a failed run, or null if none failed
   */
  public record Batch(List<@Nullable String> results, @Nullable RuntimeException failure) {}

  /**
   * Runs one script many times, pipelined like {@link #evalBatch}, but reports each run's outcome
   * instead of failing at the first error, so that the caller can retry exactly the runs that
   * failed.
   *
   * @return the outcome of every run
   */
  public Batch evalBatchEach(LuaScript script, List<List<String>> keys, List<String> args) {
    List<@Nullable String> results = new ArrayList<>(keys.size());
    RuntimeException failure = null;
    // A window of runs in flight at a time, so that no run waits in the pipeline behind thousands
    // of
    // others long enough to hit the command timeout.
    for (int from = 0; from < keys.size(); from += BATCH_WINDOW) {
      Batch part =
          evalWindow(script, keys.subList(from, Math.min(keys.size(), from + BATCH_WINDOW)), args);
      results.addAll(part.results());
      if (part.failure() != null) {
        failure = part.failure();
      }
    }
    return new Batch(results, failure);
  }

  private static final int BATCH_WINDOW = 256;

  private Batch evalWindow(LuaScript script, List<List<String>> keys, List<String> args) {
    String[] a = args.toArray(NO_STRINGS);
    List<RedisFuture<String>> futures = new ArrayList<>(keys.size());
    List<@Nullable String> results = new ArrayList<>(keys.size());
    RuntimeException failure = null;
    try {
      for (List<String> k : keys) {
        futures.add(async.evalsha(script.sha(), ScriptOutputType.VALUE, k.toArray(NO_STRINGS), a));
      }
    } catch (RedisException e) {
      failure =
          new StoreUnavailableException(
              "Redis unavailable for " + script + " batch: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + timeout.toNanos() * 2;
    for (int i = 0; i < keys.size(); i++) {
      String[] k = keys.get(i).toArray(NO_STRINGS);
      String r = null;
      if (i < futures.size()) {
        try {
          r = futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RedisNoScriptException) {
            try {
              r =
                  call(
                      script.toString(),
                      () ->
                          withRetry(
                              () ->
                                  sync.<String>eval(
                                      script.source(), ScriptOutputType.VALUE, k, a)));
            } catch (RuntimeException re) {
              failure = re;
            }
          } else {
            failure = translate(script + " batch", e.getCause());
          }
        } catch (TimeoutException e) {
          failure =
              new StoreUnavailableException(
                  "Redis did not answer " + script + " batch within " + timeout, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = new StoreUnavailableException("interrupted while waiting for Redis", e);
        }
      }
      results.add(r);
    }
    return new Batch(results, failure);
  }

  private static RuntimeException translate(String what, @Nullable Throwable cause) {
    if (cause instanceof RedisException re) {
      try {
        return call(
            what,
            () -> {
              throw re;
            });
      } catch (RuntimeException translated) {
        return translated;
      }
    }
    return new StoreUnavailableException("Redis unavailable for " + what + ": " + cause, cause);
  }

  /**
   * {@code HMGET key fields...}.
   *
   * @return the values, null where a field (or the key) is absent
   */
  public List<@Nullable String> hmget(String key, String... fields) {
    List<KeyValue<String, String>> kv =
        call("HMGET", () -> withRetry(() -> sync.hmget(key, fields)));
    List<@Nullable String> out = new ArrayList<>(kv.size());
    for (KeyValue<String, String> v : kv) {
      out.add(v.hasValue() ? v.getValue() : null);
    }
    return out;
  }

  /** {@code GET key}. */
  public @Nullable String get(String key) {
    return call("GET", () -> withRetry(() -> sync.get(key)));
  }
}
