package io.sessionkit.core;

import org.jspecify.annotations.Nullable;

/**
 * Where token state lives, the same in every store: each key is a truncated SHA-256 digest with its
 * own domain label (so that the digest of one kind of value can never stand for another), in the
 * slot tag of the token's subject. No raw token or token id is ever part of a key.
 */
public final class TokenKeys {
  private TokenKeys() {}

  /**
   * The slot tag of a bearer token's revocation state.
   *
   * @param tokenId the token id
   * @param subject the subject, or null
   * @return {@link Digests#tagForUser(String)} of the subject, or of the token id without one
   */
  public static String revocationTag(String tokenId, @Nullable String subject) {
    return Digests.tagForUser(subject != null ? subject : tokenId);
  }

  /**
   * The digest under which a bearer token's revocation mark is kept (and which listeners and logs
   * name it by).
   *
   * @param tokenId the token id
   * @return {@code Digests.digest("t", tokenId)}
   */
  public static String revocationDigest(String tokenId) {
    return Digests.digest("t", tokenId);
  }

  /**
   * The digest under which a user's watermark is kept (in the user's slot tag).
   *
   * @param userId the user
   * @return {@code Digests.digest("u", userId)}
   */
  public static String userDigest(String userId) {
    return Digests.digest("u", userId);
  }

  /**
   * The digest under which a refresh token's record is kept (in the slot tag the token carries).
   *
   * @param refreshToken a well-formed refresh token
   * @return {@code Digests.digest("r", refreshToken)}
   */
  public static String refreshDigest(String refreshToken) {
    return Digests.digest("r", refreshToken);
  }

  /**
   * The non-secret handle of a refresh-token family, derived from the family's first token.
   *
   * @param firstToken the first token of the family
   * @return {@code Digests.digest("f", firstToken)}
   */
  public static String familyHandle(String firstToken) {
    return Digests.digest("f", firstToken);
  }
}
