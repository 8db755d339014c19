package io.sessionkit.redis.internal;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.Timeouts;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The access path of the Redis session store: one plain {@code HGETALL} of the session hash, with
 * the verdict (live, expired, touch due) computed here, and {@code access.lua} only when the hash
 * must change (a touch that is due, at most once per touch interval per session; the deletion of a
 * session expired beyond the clock skew) or is absent (then a plain {@code GET} of its tombstone
 * tells why). So the common access costs Redis exactly what reading the hash costs.
 *
 * <p><b>Guarantees kept from the all-in-one script.</b> The read never writes, so it cannot
 * recreate anything. The touch and the deletion run in {@code access.lua}, which reads the hash
 * again and judges it again in the same atomic step: a touch never recreates a session removed
 * since the read, never moves {@code lastAccessedAt} back, and a deletion removes only what is
 * still expired. An ended session still reports its reason (tombstone).
 *
 * <p><b>Clock skew.</b> A server refuses a session that its own clock says is expired. It deletes
 * the session (shared data that other servers may still consider live) only once the session is
 * expired by more than {@link SessionConfig#clockSkew()} by that clock, the rule of the prelude's
 * {@code verdict}; until then the key's TTL and the other servers decide. The ended event is fired
 * by the server that deletes.
 *
 * <p>Thread-safe.
 */
public final class SessionReader {
  private final boolean counting;
  private final RedisIo io;
  private final Keys keys;
  private final AttributeCodec codec;
  private final Events events;
  private final Clock clock;
  private final Timeouts defaults;
  private final long defaultIdleMs;
  private final long defaultAbsMs;
  private final String defaultIdleArg;
  private final String defaultAbsArg;
  private final String touchIntervalArg;
  private final long touchIntervalMs;
  private final String skewArg;
  private final long skewMs;

  /**
   * A session as read from Redis, without its id (the cache key is its handle; the id stays with
   * the caller). Immutable: {@code attributes} is unmodifiable and values are still encoded, so
   * every {@link Session} made from it decodes its own values.
   *
   * @param info the non-secret description
   * @param timeouts the timeouts in force
   * @param attributes attribute name to encoded value, unmodifiable
   */
  public record Snapshot(SessionInfo info, Timeouts timeouts, Map<String, String> attributes) {
    /**
     * @return the snapshot of a session a store returned
     */
    public static Snapshot of(Session s) {
      return new Snapshot(s.info(), s.timeouts(), s.encodedAttributes());
    }

    /**
     * @return the handle
     */
    public String handle() {
      return info.handle();
    }
  }

  /**
   * What an access found.
   *
   * @param result the answer to the caller
   * @param snapshot the live session's data, or null if not live
   */
  public record Read(AccessResult result, @Nullable Snapshot snapshot) {}

  /**
   * @param counting whether the deployment keeps exact cluster-wide counts: the access script then
   *     gets the slot's two count sets as its last two keys
   */
  public SessionReader(
      RedisIo io, Keys keys, SessionConfig config, Events events, boolean counting) {
    this.counting = counting;
    this.io = io;
    this.keys = keys;
    this.codec = config.codec();
    this.events = events;
    this.clock = config.clock();
    this.defaults = config.ttlPolicy().timeouts();
    this.defaultIdleMs = defaults.idle().map(Codec::millis).orElse(-1L);
    this.defaultAbsMs = defaults.absolute().map(Codec::millis).orElse(-1L);
    this.defaultIdleArg = Long.toString(defaultIdleMs);
    this.defaultAbsArg = Long.toString(defaultAbsMs);
    this.touchIntervalMs = config.ttlPolicy().touchInterval().toMillis();
    this.touchIntervalArg = Long.toString(touchIntervalMs);
    this.skewMs = config.clockSkew().toMillis();
    this.skewArg = Long.toString(skewMs);
  }

  /**
   * Reads a session: one {@code HGETALL}, plus one call only if a touch is due, or the session is
   * absent (its tombstone), or expired beyond the skew (its deletion).
   *
   * @param id a well-formed id
   * @param handle its handle
   * @param mode whether the access counts as activity
   * @return the answer, and the snapshot if live
   */
  public Read read(String id, String handle, AccessMode mode) {
    String tag = SessionIdGenerator.tagOf(id);
    String key = keys.session(tag, handle);
    // Twice at most: a deletion that found the session touched meanwhile reads it again.
    for (int attempt = 0; ; attempt++) {
      long now = clock.millis();
      Map<String, String> hash = io.hgetall(key);
      String c = hash.get(Fields.CREATED);
      String a = hash.get(Fields.LAST_ACCESS);
      if (c == null || a == null) {
        return new Read(tombstone(tag, handle, now), null);
      }
      long created = Long.parseLong(c);
      long last = Long.parseLong(a);
      String o = hash.get(Fields.TIMEOUTS);
      long idle = defaultIdleMs;
      long abs = defaultAbsMs;
      Timeouts timeouts = defaults;
      if (o != null && !o.isEmpty()) {
        timeouts = Codec.decodeTimeouts(o, defaults);
        idle = timeouts.idle().map(Codec::millis).orElse(-1L);
        abs = timeouts.absolute().map(Codec::millis).orElse(-1L);
      }
      long expiresAt = expiry(created, last, idle, abs);
      if (now >= expiresAt) {
        EndReason reason = expiryReason(created, last, idle, abs);
        if (now - skewMs < expiresAt || attempt > 0) {
          return new Read(
              AccessResult.ended(reason), null); // refused here; the data is not ours to delete yet
        }
        List<Object> r = script(tag, handle, hash.get(Fields.USER_DIGEST), now, 'X');
        if ((Long) r.get(0) == 3) {
          continue; // touched by another server since the read: read again
        }
        return new Read(answer(r, handle, now), null);
      }
      if (mode == AccessMode.EXTEND && isDue(now, last, idle)) {
        List<Object> r = script(tag, handle, hash.get(Fields.USER_DIGEST), now, 'T');
        if ((Long) r.get(0) != 3) {
          return new Read(answer(r, handle, now), null);
        }
        last = Long.parseLong(String.valueOf(r.get(1)));
      }
      Snapshot s = snapshot(handle, hash, created, last, timeouts);
      return new Read(AccessResult.active(session(id, s)), s);
    }
  }

  /**
   * @return the answer of {@link #read} alone
   */
  public AccessResult access(String id, AccessMode mode) {
    return read(id, Digests.handleOf(id), mode).result();
  }

  /**
   * Whether a touch would change the hash: the interval passed since the stored last access, and
   * the clock moved (a touch at the stored instant writes what is there; with a zero touch interval
   * that would cost a script on every read of a frozen test clock).
   */
  private boolean isDue(long now, long last, long idle) {
    if (now <= last) {
      return false;
    }
    double interval = touchIntervalMs;
    if (idle >= 0 && idle / 10.0 < interval) {
      interval = idle / 10.0;
    }
    return now - last >= interval;
  }

  private static long expiry(long c, long a, long idle, long abs) {
    long e = Long.MAX_VALUE;
    if (idle >= 0) {
      e = a + idle;
    }
    if (abs >= 0) {
      e = Math.min(e, c + abs);
    }
    return e;
  }

  /**
   * As {@code expiryReason} in the prelude: absolute when its deadline is not after the idle one.
   */
  private static EndReason expiryReason(long c, long a, long idle, long abs) {
    if (abs < 0) {
      return EndReason.IDLE_TIMEOUT;
    }
    if (idle < 0) {
      return EndReason.ABSOLUTE_TIMEOUT;
    }
    return c + abs > a + idle ? EndReason.IDLE_TIMEOUT : EndReason.ABSOLUTE_TIMEOUT;
  }

  private AccessResult tombstone(String tag, String handle, long now) {
    String t = io.get(keys.tombstone(tag, handle));
    // "<reason char>:<keep-until ms>", as the scripts write it
    if (t != null && t.length() > 2 && t.charAt(1) == ':') {
      try {
        if (Long.parseLong(t, 2, t.length(), 10) > now) {
          return AccessResult.ended(reason(t.charAt(0)));
        }
      } catch (NumberFormatException | IllegalStateException e) {
        return AccessResult.absent();
      }
    }
    return AccessResult.absent();
  }

  /**
   * Runs {@code access.lua} with every key it may touch declared: the hash, its tombstone and, for
   * a signed-in session, the user's index named by the hash's digest field.
   *
   * @param what 'T' to touch if due, 'X' to delete if expired beyond the skew
   */
  private List<Object> script(
      String tag, String handle, @Nullable String userDigest, long now, char what) {
    List<String> args =
        List.of(
            Long.toString(now),
            defaultIdleArg,
            defaultAbsArg,
            keys.base(tag),
            touchIntervalArg,
            String.valueOf(what),
            handle,
            skewArg);
    List<Object> r = io.evalList(LuaScript.ACCESS, declared(tag, handle, userDigest), args);
    if ((Long) r.get(0) == -3) {
      // The digest field never changes for a session, so this only follows a read that was not of
      // this hash's current state; the script changed nothing and names the index to declare.
      r = io.evalList(LuaScript.ACCESS, declared(tag, handle, String.valueOf(r.get(1))), args);
    }
    return r;
  }

  private List<String> declared(String tag, String handle, @Nullable String userDigest) {
    List<String> k = new ArrayList<>(5);
    k.add(keys.session(tag, handle));
    k.add(keys.tombstone(tag, handle));
    if (userDigest != null) {
      k.add(keys.userIndex(tag, userDigest));
    }
    if (counting) {
      k.add(keys.countedSessions(tag));
      k.add(keys.countedUsers(tag));
    }
    return k;
  }

  /** The answer for a script reply other than "live". */
  private AccessResult answer(List<Object> r, String handle, long now) {
    long code = (Long) r.get(0);
    if ((code == 0 && r.size() < 2) || code < 0) {
      return AccessResult.absent();
    }
    EndReason reason = reason(String.valueOf(r.get(1)).charAt(0));
    if (code == 2) {
      String user = String.valueOf(r.get(2));
      events.ended(handle, user.isEmpty() ? null : user, Instant.ofEpochMilli(now), reason);
    }
    return AccessResult.ended(reason);
  }

  private static EndReason reason(char code) {
    return Fields.reason(String.valueOf(code));
  }

  private Snapshot snapshot(
      String handle, Map<String, String> hash, long created, long last, Timeouts timeouts) {
    Map<String, String> attrs = new LinkedHashMap<>();
    String n = null;
    String user = null;
    String d = null;
    String l = null;
    String g = null;
    String p = null;
    for (Map.Entry<String, String> e : hash.entrySet()) {
      String f = e.getKey();
      if (f.startsWith(Codec.ATTRIBUTE)) {
        attrs.put(f.substring(1), e.getValue());
      } else {
        switch (f) {
          case Fields.AUTHENTICATED -> n = e.getValue();
          case Fields.USER -> user = e.getValue();
          case Fields.DEVICE_TYPE -> d = e.getValue();
          case Fields.DEVICE_LABEL -> l = e.getValue();
          case Fields.USER_AGENT -> g = e.getValue();
          case Fields.ADDRESS -> p = e.getValue();
          default -> {}
        }
      }
    }
    Instant c = Instant.ofEpochMilli(created);
    Instant a = Instant.ofEpochMilli(last);
    SessionInfo info =
        new SessionInfo(
            handle,
            user == null || user.isEmpty() ? null : user,
            c,
            a,
            timeouts.expiresAt(c, a),
            n == null || n.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(n)),
            Codec.metadata(d, l, g, p));
    return new Snapshot(info, timeouts, Collections.unmodifiableMap(attrs));
  }

  /**
   * A new session for one caller, from a snapshot: its own decoded values, so nothing one caller
   * does to a decoded value reaches another.
   *
   * @param id the id the caller presented (its handle is the snapshot's)
   * @param s the snapshot
   * @return a new session
   */
  public Session session(String id, Snapshot s) {
    SessionInfo info = s.info();
    String user = info.userId().orElse(null);
    SessionMetadata md = info.metadata();
    return Session.builder(id, new ReportingCodec(codec, events, info.handle(), user, clock))
        .userId(user)
        .createdAt(info.createdAt())
        .lastAccessedAt(info.lastAccessedAt())
        .authenticatedAt(info.authenticatedAt().orElse(null))
        .timeouts(s.timeouts())
        .metadata(md)
        .encodedAttributes(s.attributes())
        .build();
  }
}
