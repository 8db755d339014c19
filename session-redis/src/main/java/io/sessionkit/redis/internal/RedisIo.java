package io.sessionkit.redis.internal;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

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
   *     connections lazily and rejects commands while one is pending; a standalone connection
   *     fails fast instead
   */
  public RedisIo(RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async,
      Duration timeout, boolean waitForNodeConnections) {
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

  private <T> T eval(LuaScript script, ScriptOutputType type, List<String> keys, List<String> args) {
    String[] k = keys.toArray(NO_STRINGS);
    String[] a = args.toArray(NO_STRINGS);
    return call(script.toString(), () -> withRetry(() -> {
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
        boolean notRun = e instanceof RedisCommandExecutionException ? tryAgain(e) : rejectedBeforeSending(e);
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
    return call(script + " batch", () -> {
      List<RedisFuture<String>> futures = new ArrayList<>(keys.size());
      for (List<String> k : keys) {
        futures.add(async.evalsha(script.sha(), ScriptOutputType.VALUE, k.toArray(NO_STRINGS), a));
      }
      long deadline = System.nanoTime() + timeout.toNanos() * 4;
      List<String> results = new ArrayList<>(futures.size());
      for (int i = 0; i < futures.size(); i++) {
        try {
          results.add(futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
          String[] k = keys.get(i).toArray(NO_STRINGS);
          if (e.getCause() instanceof RedisNoScriptException) {
            results.add(withRetry(() -> sync.<String>eval(script.source(), ScriptOutputType.VALUE, k, a)));
          } else if (waitForNodeConnections && e.getCause() instanceof RedisException re && rejectedBeforeSending(re)) {
            results.add(withRetry(() -> {
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
          throw new StoreUnavailableException("Redis did not answer " + script + " batch within " + timeout, e);
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
   * {@code HGETALL key}: a plain read (no script): the common session read, and the read that
   * names the keys a script must then declare.
   *
   * @return field to value, empty if the key does not exist
   */
  public java.util.Map<String, String> hgetall(String key) {
    java.util.Map<String, String> m = call("HGETALL", () -> withRetry(() -> sync.hgetall(key)));
    return m == null ? java.util.Map.of() : m;
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

  /** {@code GET key}: a tombstone, read when a session is absent. */
  public @org.jspecify.annotations.Nullable String get(String key) {
    return call("GET", () -> withRetry(() -> sync.get(key)));
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
    call("SET", () -> sync.set(key, value, io.lettuce.core.SetArgs.Builder.px(ttlMillis)));
  }

  /**
   * Runs a Redis call and translates Lettuce's exceptions: the one place that does.
   *
   * @param what the operation, for the message (never an id or a token)
   * @param body the call
   * @return what the call returned
   * @throws StoreUnavailableException if Redis cannot be reached, times out, or is not ready to serve
   * @throws SessionException if Redis refused the command for another reason
   */
  public static <T> T call(String what, Supplier<T> body) {
    try {
      return body.get();
    } catch (RedisCommandExecutionException e) {
      throw transientError(e.getMessage())
          ? new StoreUnavailableException("Redis cannot serve " + what + " now: " + e.getMessage(), e)
          : new SessionException("Redis refused " + what + ": " + e.getMessage(), e);
    } catch (RedisException e) {
      throw new StoreUnavailableException("Redis unavailable for " + what + ": " + e.getMessage(), e);
    }
  }

  private static boolean transientError(@org.jspecify.annotations.Nullable String message) {
    if (message == null) {
      return false;
    }
    String m = message.toUpperCase(Locale.ROOT);
    for (String prefix : new String[] {"READONLY", "LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY",
        "NOREPLICAS", "MOVED", "ASK", "OOM", "NOAUTH"}) {
      if (m.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
