package io.sessionkit.redis.internal;

import io.sessionkit.core.EndReason;
import java.util.List;

/**
 * The wire format of a session in Redis, on the Java side (the Lua side is {@code prelude.lua}'s
 * header): the field names of a session hash and the one-character end-reason codes of tombstones
 * and replies. Key names are {@link Keys}'. One home, so that a field is renamed in two places
 * (here and the prelude), not five.
 */
public final class Fields {
  /** createdAt, epoch ms. */
  public static final String CREATED = "c";

  /** lastAccessedAt, epoch ms. */
  public static final String LAST_ACCESS = "a";

  /** userId (absent while anonymous). */
  public static final String USER = "u";

  /** the user's digest, which names the user's index. */
  public static final String USER_DIGEST = "k";

  /** authenticatedAt, epoch ms. */
  public static final String AUTHENTICATED = "n";

  /** timeouts override, "idleMs,absMs" (an empty part for none). */
  public static final String TIMEOUTS = "o";

  /** bytes of attribute names and values. */
  public static final String SIZE = "z";

  /** device type. */
  public static final String DEVICE_TYPE = "d";

  /** device label. */
  public static final String DEVICE_LABEL = "l";

  /** user agent. */
  public static final String USER_AGENT = "g";

  /** address. */
  public static final String ADDRESS = "p";

  /** The fields {@code list.lua} returns for each session, in its order. */
  public static final List<String> LISTED =
      List.of(
          CREATED,
          LAST_ACCESS,
          TIMEOUTS,
          USER,
          AUTHENTICATED,
          DEVICE_TYPE,
          DEVICE_LABEL,
          USER_AGENT,
          ADDRESS);

  private Fields() {}

  /**
   * @param code a tombstone's or a reply's reason character
   * @return the reason
   * @throws IllegalStateException for an unknown code
   */
  public static EndReason reason(String code) {
    return switch (code) {
      case "L" -> EndReason.LOGOUT;
      case "I" -> EndReason.IDLE_TIMEOUT;
      case "A" -> EndReason.ABSOLUTE_TIMEOUT;
      case "R" -> EndReason.REVOKED;
      case "P" -> EndReason.REPLACED;
      case "X" -> EndReason.ALL_REVOKED;
      default -> throw new IllegalStateException("unknown end reason code " + code);
    };
  }

  /**
   * @param reason an end reason
   * @return its one-character code
   */
  public static String code(EndReason reason) {
    return switch (reason) {
      case LOGOUT -> "L";
      case IDLE_TIMEOUT -> "I";
      case ABSOLUTE_TIMEOUT -> "A";
      case REVOKED -> "R";
      case REPLACED -> "P";
      case ALL_REVOKED -> "X";
    };
  }
}
