package io.sessionkit.core;

import java.util.Objects;

/** The outcome of {@link RefreshTokenService#rotate(String)}. */
public sealed interface RefreshResult permits RefreshResult.Rotated, RefreshResult.Refused {

  /**
   * The token was valid; here is its successor.
   *
   * @param successor the new refresh token (the presented one is now spent)
   * @param retry true if the presented token had already been rotated within the grace window and
   *     this is the same successor handed out again
   */
  record Rotated(RefreshToken successor, boolean retry) implements RefreshResult {
    /**
     * Validates.
     *
     * @param successor the new token
     * @param retry whether this repeats an earlier rotation
     */
    public Rotated {
      Objects.requireNonNull(successor, "successor");
    }
  }

  /**
   * The token may not be used.
   *
   * @param reason why
   */
  record Refused(Reason reason) implements RefreshResult {
    /**
     * Validates.
     *
     * @param reason why
     */
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why a refresh token was refused. */
  enum Reason {
    /** Not a token this service could have issued; nothing was looked up. */
    MALFORMED,
    /** Unknown: never issued, or expired and forgotten. */
    UNKNOWN,
    /** Past its expiry or its family's absolute expiry. */
    EXPIRED,
    /** Already rotated, presented again outside the grace window: the family is now revoked. */
    REUSED,
    /** Its family was revoked earlier, or its user was revoked after it was issued. */
    REVOKED
  }

  /**
   * @return whether a successor was issued
   */
  default boolean isRotated() {
    return this instanceof Rotated;
  }
}
