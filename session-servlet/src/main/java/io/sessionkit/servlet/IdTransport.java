package io.sessionkit.servlet;

/** How the session id travels between client and server. Never in a URL. */
public enum IdTransport {
  /** In a cookie, described by {@link CookieSettings}: the choice for browsers (default). */
  COOKIE,
  /**
   * In a request header (default {@value SessionFilter#DEFAULT_HEADER_NAME}), and back in the same
   * response header whenever the id is new or changed: the choice for API clients that keep the id
   * themselves. An empty response header value tells the client to drop its id.
   */
  HEADER
}
