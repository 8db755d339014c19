package io.sessionkit.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link TokenRevocationService#check(TokenClaims)}: active, or revoked with the
 * reason. Immutable and thread-safe.
 */
@SuppressWarnings("EnumOrdinal") // ordinals only index the in-memory cache of one answer per reason
public final class TokenCheck {
  private static final TokenCheck ACTIVE = new TokenCheck(null);
  private static final TokenCheck[] REVOKED = new TokenCheck[RevocationReason.values().length];

  static {
    for (RevocationReason r : RevocationReason.values()) {
      REVOKED[r.ordinal()] = new TokenCheck(r);
    }
  }

  private final @Nullable RevocationReason reason;

  private TokenCheck(@Nullable RevocationReason reason) {
    this.reason = reason;
  }

  /**
   * @return the answer for a token that may be used
   */
  public static TokenCheck active() {
    return ACTIVE;
  }

  /**
   * @param reason why the token may not be used
   * @return the answer for a refused token
   */
  public static TokenCheck revoked(RevocationReason reason) {
    return REVOKED[Objects.requireNonNull(reason, "reason").ordinal()];
  }

  /**
   * @return whether the token may be used
   */
  public boolean isActive() {
    return reason == null;
  }

  /**
   * @return why the token may not be used; empty if it is active
   */
  public Optional<RevocationReason> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public String toString() {
    return reason == null ? "ACTIVE" : "REVOKED(" + reason + ")";
  }
}
