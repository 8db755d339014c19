package io.sessionkit.core.internal;

/**
 * Forwards to {@link io.sessionkit.core.Digests}, where the derivations now live, for code not yet
 * moved to the public class; to be removed once nothing imports it.
 */
public final class Digests {
  private Digests() {}

  /**
   * See {@link io.sessionkit.core.Digests#handleOf(String)}.
   *
   * @param sessionId a well-formed session id
   * @return the handle
   */
  public static String handleOf(String sessionId) {
    return io.sessionkit.core.Digests.handleOf(sessionId);
  }

  /**
   * See {@link io.sessionkit.core.Digests#isDigest(String)}.
   *
   * @param handle the candidate, may be null
   * @return whether it is a well-formed digest
   */
  public static boolean isDigest(@org.jspecify.annotations.Nullable String handle) {
    return io.sessionkit.core.Digests.isDigest(handle);
  }
}
