package io.sessionkit.servlet;

/**
 * The {@code SameSite} attribute of the session cookie. SessionKit always emits it explicitly,
 * because browsers disagree on what a cookie without one means.
 */
public enum SameSite {
  /**
   * The cookie is sent only on same-site requests, not even on top-level navigation from elsewhere.
   */
  STRICT("Strict"),
  /**
   * The cookie is sent on same-site requests and on top-level navigation from other sites
   * (default).
   */
  LAX("Lax"),
  /** The cookie is sent on every request; allowed only together with {@code Secure}. */
  NONE("None");

  private final String attributeValue;

  SameSite(String attributeValue) {
    this.attributeValue = attributeValue;
  }

  /**
   * The value as written in {@code Set-Cookie}.
   *
   * @return {@code Strict}, {@code Lax} or {@code None}
   */
  public String attributeValue() {
    return attributeValue;
  }
}
