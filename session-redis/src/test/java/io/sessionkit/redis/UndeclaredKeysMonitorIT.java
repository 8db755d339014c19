package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.CarryOver;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.Timeouts;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.redis.internal.LuaScript;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "MONITOR shows 0 undeclared key accesses" check (issue 12, item 1), independent of the strict
 * mode: a {@code MONITOR} connection records every command while the session flows run (create,
 * access with touches of anonymous and signed-in sessions and the deletion of a session expired
 * beyond the clock skew, update, login below and at the limit, from the same and from another slot,
 * renew, list, logout, end by handle, sign out everywhere), and every command a session script ran
 * is checked against the {@code KEYS} of the {@code EVALSHA} that ran it. Token scripts are counted
 * and printed, not asserted (their keys are declared by their own change).
 */
class UndeclaredKeysMonitorIT {
  private static final Pattern LINE = Pattern.compile("^\\+?[\\d.]+ \\[\\d+ ([^\\]]+)\\] (.*)$");

  /**
   * Key positions of the commands the scripts use (as strict.lua): n = the n-th argument, -1 every
   * one.
   */
  private static final Map<String, Integer> POSITIONS = new HashMap<>();

  static {
    for (String c :
        List.of(
            "get",
            "set",
            "strlen",
            "incr",
            "hgetall",
            "hmget",
            "hget",
            "hset",
            "hdel",
            "hstrlen",
            "hexists",
            "pexpire",
            "pexpireat",
            "expire",
            "pttl",
            "ttl",
            "persist",
            "type",
            "zadd",
            "zrem",
            "zrange",
            "zrangebyscore",
            "zrevrange",
            "zremrangebyscore",
            "zcard",
            "zscore",
            "zcount",
            "getdel")) {
      POSITIONS.put(c, 1);
    }
    for (String c : List.of("del", "unlink", "exists", "mget", "touch")) {
      POSITIONS.put(c, -1);
    }
    POSITIONS.put("copy", 2);
    POSITIONS.put("rename", 2);
    POSITIONS.put("time", 0);
    POSITIONS.put("publish", 0);
  }

  /** The quoted arguments of a MONITOR line (a loop, not a regex: lines can be long). */
  private static List<String> args(String rest) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = null;
    for (int i = 0; i < rest.length(); i++) {
      char ch = rest.charAt(i);
      if (cur == null) {
        if (ch == '"') {
          cur = new StringBuilder();
        }
      } else if (ch == '\\' && i + 1 < rest.length()) {
        cur.append(rest.charAt(++i));
      } else if (ch == '"') {
        out.add(cur.toString());
        cur = null;
      } else {
        cur.append(ch);
      }
    }
    return out;
  }

  @Test
  void theSessionScriptsTouchOnlyTheKeysTheyDeclare() throws Exception {
    Map<String, String> scriptOfSha = new HashMap<>();
    Set<String> sessionScripts = new HashSet<>();
    for (LuaScript s : LuaScript.values()) {
      scriptOfSha.put(s.sha(), s.toString());
      if (s.ordinal() <= LuaScript.DELETE_ALL.ordinal()) {
        sessionScripts.add(s.toString());
      }
    }
    List<String> lines = new ArrayList<>();
    try (RedisServer redis = RedisServers.startLocal();
        Socket monitor = new Socket(redis.host(), redis.port())) {
      OutputStream out = monitor.getOutputStream();
      out.write("MONITOR\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("+OK");
      Thread reader =
          new Thread(
              () -> {
                try {
                  String l;
                  while ((l = in.readLine()) != null) {
                    synchronized (lines) {
                      lines.add(l);
                    }
                  }
                } catch (IOException e) {
                  // closed at the end
                }
              });
      reader.setDaemon(true);
      reader.start();
      try (RedisConnector c = RedisConnector.connect(RedisOptions.fromUri(redis.uri()))) {
        runFlows(c);
      }
      redis.call("SET", "monitor-end-marker", "1");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        synchronized (lines) {
          if (!lines.isEmpty() && lines.get(lines.size() - 1).contains("monitor-end-marker")) {
            break;
          }
        }
        Thread.sleep(20);
      }
    }
    Set<String> declared = new HashSet<>();
    String script = null;
    Map<String, Integer> undeclared = new TreeMap<>();
    Map<String, Integer> scriptCalls = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    int checked = 0;
    synchronized (lines) {
      for (String l : lines) {
        Matcher m = LINE.matcher(l);
        if (!m.matches()) {
          continue;
        }
        List<String> a = args(m.group(2));
        if (a.isEmpty()) {
          continue;
        }
        String cmd = a.get(0).toLowerCase();
        if (!m.group(1).equals("lua")) {
          if (cmd.equals("evalsha") || cmd.equals("eval")) {
            script = cmd.equals("evalsha") ? scriptOfSha.getOrDefault(a.get(1), "?") : "EVAL";
            int n = Integer.parseInt(a.get(2));
            declared = new HashSet<>(a.subList(3, 3 + n));
            scriptCalls.merge(script, 1, Integer::sum);
          }
          continue;
        }
        Integer pos = POSITIONS.get(cmd);
        List<String> keys =
            pos == null
                ? a.subList(1, a.size())
                : pos < 0 ? a.subList(1, a.size()) : a.subList(1, Math.min(a.size(), 1 + pos));
        for (String k : keys) {
          checked++;
          if (!declared.contains(k)) {
            undeclared.merge(script, 1, Integer::sum);
            if (examples.size() < 10) {
              examples.add(script + ": " + cmd + " " + k);
            }
          }
        }
      }
    }
    System.out.printf(
        "UndeclaredKeysMonitorIT: %d script calls %s, %d key accesses inside scripts checked, "
            + "undeclared per script: %s %s%n",
        scriptCalls.values().stream().mapToInt(Integer::intValue).sum(),
        scriptCalls,
        checked,
        undeclared,
        examples);
    assertThat(scriptCalls.keySet())
        .contains(
            "login.lua",
            "delete_all.lua",
            "list.lua",
            "renew.lua",
            "access.lua",
            "update.lua",
            "delete.lua",
            "create.lua");
    assertThat(checked).isGreaterThan(100);
    Map<String, Integer> sessionUndeclared = new TreeMap<>(undeclared);
    sessionUndeclared.keySet().retainAll(sessionScripts);
    assertThat(sessionUndeclared)
        .as("undeclared key accesses of the session scripts: %s", examples)
        .isEmpty();
  }

  private static void runFlows(RedisConnector c) {
    // A clock of the test's own, so that accesses find a touch due (the only time access.lua runs)
    // and a signed-in session expires beyond the skew (access.lua deletes it and its index entry).
    MutableClock clock = MutableClock.startingNow();
    RedisSessionStore store =
        RedisSessionStore.create(
            c,
            SessionConfig.builder()
                .auditLogging(false)
                .clock(clock)
                .loginPolicy(
                    LoginPolicy.builder()
                        .maxSessionsPerUser(3)
                        .maxSessionsPerDeviceType(2)
                        .onLimit(OnLimit.EVICT_OLDEST)
                        .build())
                .build());
    RedisSessionStore rejecting =
        RedisSessionStore.create(
            c,
            SessionConfig.builder()
                .auditLogging(false)
                .clock(clock)
                .loginPolicy(LoginPolicy.maxSessionsPerUser(2, OnLimit.REJECT_NEW))
                .build());
    for (int i = 0; i < 5; i++) {
      Session anonymous = store.create(SessionChanges.builder().set("cart", i).build());
      store.access(anonymous.id());
      clock.advance(Duration.ofMinutes(1));
      store.access(anonymous.id());
      store.access(anonymous.id(), AccessMode.PASSIVE);
      store.update(anonymous.id(), SessionChanges.builder().set("step", i).build());
      Session user =
          store
              .login(
                  anonymous.id(),
                  "alice",
                  LoginOptions.builder()
                      .carryOnly("cart")
                      .metadata(SessionMetadata.ofDeviceType("phone"))
                      .build())
              .sessionOrThrow();
      clock.advance(Duration.ofMinutes(1));
      store.access(user.id());
      store.update(
          user.id(),
          SessionChanges.builder().timeouts(Timeouts.of(Duration.ofDays(1), null)).build());
      Session renewed = store.renewId(user.id()).orElseThrow();
      store.login(renewed.id(), "alice", LoginOptions.builder().carryOver(CarryOver.ALL).build());
      store.login(null, "bob");
      rejecting.login(null, "carol");
      rejecting.login(store.create().id(), "carol");
    }
    store.listForUser("alice");
    Session b = store.login(null, "bob").sessionOrThrow();
    store.delete(b.id(), EndReason.LOGOUT);
    store.deleteByHandle("alice", store.listForUser("alice").get(0).handle(), EndReason.REVOKED);
    store.deleteAllForUser("alice", null, EndReason.ALL_REVOKED);
    store.deleteAllForUser("bob", null, EndReason.ALL_REVOKED);
    store.deleteAllForUser("carol", null, EndReason.ALL_REVOKED);
    Session late = store.login(null, "dave").sessionOrThrow();
    clock.advance(
        TtlPolicy.DEFAULT_IDLE_TIMEOUT.plus(SessionConfig.DEFAULT_CLOCK_SKEW).plusSeconds(1));
    store.access(late.id());
  }
}
