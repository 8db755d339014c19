package io.sessionkit.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one rule for user ids, shared by every store: 1 to {@value #MAX_LENGTH} characters, any
 * characters at all. User ids are only ever digested (slot tags, index keys) or escaped (logs), so
 * nothing a user id holds, not even <code>*</code>, <code>{</code>, <code>:</code> or CR/LF, can
 * reach a key or a log line unaltered.
 */
public final class UserIds {
  /** The longest user id accepted, in characters. */
  public static final int MAX_LENGTH = 256;

  private UserIds() {}

  /**
   * Checks a user id.
   *
   * @param userId the user id
   * @return the same user id
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is empty or longer than {@value #MAX_LENGTH} characters;
   *     the message gives the length, never the value
   */
  public static String requireValid(String userId) {
    Objects.requireNonNull(userId, "userId");
    if (userId.isEmpty() || userId.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "userId must be 1 to " + MAX_LENGTH + " characters, was " + userId.length());
    }
    return userId;
  }

  /**
   * Whether a user id would pass {@link #requireValid(String)}.
   *
   * @param userId the candidate, may be null
   * @return true if it is 1 to {@value #MAX_LENGTH} characters
   */
  public static boolean isValid(@Nullable String userId) {
    return userId != null && !userId.isEmpty() && userId.length() <= MAX_LENGTH;
  }
}
