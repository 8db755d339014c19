package io.sessionkit.redis.internal;

import io.sessionkit.core.Digests;

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
 * &lt;prefix&gt;{TT}:g               this slot's copy of the global watermark, kept without TTL: its
 *                                absence means the slot lost its memory (the flush defence)
 * &lt;prefix&gt;{TT}:f:&lt;tokenDigest&gt;  a refresh token's record
 * &lt;prefix&gt;{TT}:F:&lt;family&gt;       a refresh-token family
 * &lt;prefix&gt;{TT}:n               counted sessions of the slot, scored by expiry (Counting.EXACT)
 * &lt;prefix&gt;{TT}:m               counted signed-in users of the slot, scored by last expiry
 * </pre>
 */
public final class Keys {
  private final String prefix;

  public Keys(String prefix) {
    this.prefix = prefix;
  }

  /**
   * @return {@code <prefix>{tag}:}, the start of every key in the tag's slot
   */
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

  /**
   * @return the slot's set of counted sessions (handle scored by expiry)
   */
  public String countedSessions(String tag) {
    return base(tag) + "n";
  }

  /**
   * @return the slot's set of counted users (user digest scored by the expiry of the last session)
   */
  public String countedUsers(String tag) {
    return base(tag) + "m";
  }

  public static String userDigest(String userId) {
    return Digests.digest("u", userId);
  }

  /**
   * @return the record of a refresh token, in its subject's slot
   */
  public String refreshToken(String tag, String tokenDigest) {
    return base(tag) + "f:" + tokenDigest;
  }

  /**
   * @return a refresh-token family, in its subject's slot
   */
  public String refreshFamily(String tag, String familyHandle) {
    return base(tag) + "F:" + familyHandle;
  }

  /**
   * @return the token watermark of a user known by digest, in the slot {@code tag}
   */
  public String userWatermarkByDigest(String tag, String userDigest) {
    return base(tag) + "w:" + userDigest;
  }
}
