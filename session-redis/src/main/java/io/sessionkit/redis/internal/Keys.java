package io.sessionkit.redis.internal;

import io.sessionkit.core.internal.Digests;

/**
 * Key names. Every key of one user, and every key of one session, carries the same {@code {tag}},
 * so that each script touches one Redis Cluster hash slot. Keys hold digests, never an id or a
 * token.
 *
 * <pre>
 * &lt;prefix&gt;{TT}:s:&lt;handle&gt;       session hash
 * &lt;prefix&gt;{TT}:t:&lt;handle&gt;       tombstone (why the session ended)
 * &lt;prefix&gt;{TT}:u:&lt;userDigest&gt;   the user's sessions, a sorted set scored by expiry
 * &lt;prefix&gt;{TT}:w:&lt;userDigest&gt;   the user's token watermark
 * &lt;prefix&gt;{TT}:r:&lt;tokenDigest&gt;  a revoked token
 * &lt;prefix&gt;{TT}:g               this slot's copy of the global watermark
 * </pre>
 */
public final class Keys {
  private final String prefix;

  public Keys(String prefix) {
    this.prefix = prefix;
  }

  /** @return {@code <prefix>{tag}:}, the start of every key in the tag's slot */
  public String base(String tag) {
    return prefix + '{' + tag + "}:";
  }

  public String session(String tag, String handle) {
    return base(tag) + "s:" + handle;
  }

  public String tombstone(String tag, String handle) {
    return base(tag) + "t:" + handle;
  }

  public String userIndex(String userId) {
    return base(Digests.tagForUser(userId)) + "u:" + userDigest(userId);
  }

  /**
   * The index of a user known by digest (a session hash's {@code k} field) in a slot: for a
   * signed-in session, the session's own slot.
   *
   * @param tag the slot tag of the user
   * @param userDigest the user's digest
   * @return the index key
   */
  public String userIndex(String tag, String userDigest) {
    return base(tag) + "u:" + userDigest;
  }

  public String userWatermark(String userId) {
    return base(Digests.tagForUser(userId)) + "w:" + userDigest(userId);
  }

  public String globalWatermark(String tag) {
    return base(tag) + "g";
  }

  public String tokenMark(String tag, String tokenDigest) {
    return base(tag) + "r:" + tokenDigest;
  }

  public static String userDigest(String userId) {
    return Digests.digest("u", userId);
  }
}
