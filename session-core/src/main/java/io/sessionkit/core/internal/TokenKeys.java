package io.sessionkit.core.internal;

/**
 * Forwards to {@link io.sessionkit.core.TokenKeys}, where the token digests now live, for code not
 * yet moved to the public class; to be removed once nothing imports it.
 */
public final class TokenKeys {
  private TokenKeys() {}

  /**
   * See {@link io.sessionkit.core.TokenKeys#revocationDigest(String)}.
   *
   * @param tokenId the token id
   * @return the digest
   */
  public static String revocationDigest(String tokenId) {
    return io.sessionkit.core.TokenKeys.revocationDigest(tokenId);
  }
}
