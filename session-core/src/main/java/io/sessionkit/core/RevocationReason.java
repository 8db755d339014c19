package io.sessionkit.core;

/** Why {@link TokenRevocationService#check(TokenClaims)} refused a token. */
public enum RevocationReason {
  /** This token was revoked on its own. */
  REVOKED,
  /** The token was issued before its subject's watermark ("sign out everywhere"). */
  ALL_REVOKED,
  /** The token was issued before the global watermark. */
  GLOBALLY_REVOKED,
  /** The token is past its expiry. */
  EXPIRED,
  /** The token id is empty, too long or otherwise malformed; nothing was looked up. */
  MALFORMED
}
