package io.sessionkit.redis.internal;

import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.Digests;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Converts between session hashes (see {@code prelude.lua} for the fields) and core types. */
public final class Codec {
  /**
   * The character that starts every attribute field, keeping attributes apart from system fields.
   */
  public static final String ATTRIBUTE = ".";

  private Codec() {}

  public static long millis(Duration d) {
    return Math.max(1, d.toMillis());
  }

  /** The override field: {@code "idleMs,absMs"}, an empty part for a timeout that is absent. */
  public static String encodeTimeouts(Timeouts t) {
    return t.idle().map(d -> Long.toString(millis(d))).orElse("")
        + ','
        + t.absolute().map(d -> Long.toString(millis(d))).orElse("");
  }

  public static Timeouts decodeTimeouts(@Nullable String o, Timeouts defaults) {
    if (o == null || o.isEmpty()) {
      return defaults;
    }
    int comma = o.indexOf(',');
    String i = o.substring(0, comma);
    String a = o.substring(comma + 1);
    return Timeouts.of(
        i.isEmpty() ? null : Duration.ofMillis(Long.parseLong(i)),
        a.isEmpty() ? null : Duration.ofMillis(Long.parseLong(a)));
  }

  /** Turns a flat HGETALL reply into a map. */
  public static Map<String, String> toMap(Object flat) {
    List<?> l = (List<?>) flat;
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < l.size(); i += 2) {
      m.put(String.valueOf(l.get(i)), String.valueOf(l.get(i + 1)));
    }
    return m;
  }

  private static @Nullable String opt(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static @Nullable Instant instant(@Nullable String ms) {
    return ms == null || ms.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(ms));
  }

  public static SessionMetadata metadata(
      @Nullable String d, @Nullable String l, @Nullable String g, @Nullable String p) {
    if (opt(d) == null && opt(l) == null && opt(g) == null && opt(p) == null) {
      return SessionMetadata.empty();
    }
    return SessionMetadata.of(opt(d), opt(l), opt(g), opt(p));
  }

  /** Builds a session snapshot from its hash. */
  public static Session session(
      String id, Map<String, String> m, AttributeCodec codec, Timeouts defaults) {
    Session.Builder b =
        Session.builder(id, codec)
            .userId(opt(m.get("u")))
            .createdAt(Objects.requireNonNull(instant(m.get("c")), "createdAt"))
            .lastAccessedAt(Objects.requireNonNull(instant(m.get("a")), "lastAccessedAt"))
            .authenticatedAt(instant(m.get("n")))
            .timeouts(decodeTimeouts(m.get("o"), defaults))
            .metadata(metadata(m.get("d"), m.get("l"), m.get("g"), m.get("p")));
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (e.getKey().startsWith(ATTRIBUTE)) {
        b.encodedAttribute(e.getKey().substring(1), e.getValue());
      }
    }
    return b.build();
  }

  /** Describes a session from its hash, without its id. */
  public static SessionInfo info(String handle, Map<String, String> m, Timeouts defaults) {
    Instant c = instant(m.get("c"));
    Instant a = instant(m.get("a"));
    if (c == null || a == null) {
      throw new IllegalStateException("session hash " + handle + " lacks its times");
    }
    Timeouts t = decodeTimeouts(m.get("o"), defaults);
    return new SessionInfo(
        handle,
        opt(m.get("u")),
        c,
        a,
        t.expiresAt(c, a),
        instant(m.get("n")),
        metadata(m.get("d"), m.get("l"), m.get("g"), m.get("p")));
  }

  /**
   * @return whether a string is a well-formed handle
   */
  public static boolean isHandle(@Nullable String handle) {
    return Digests.isDigest(handle);
  }
}
