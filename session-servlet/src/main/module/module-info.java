/**
 * SessionKit's servlet filters: cluster-wide {@code HttpSession}s and Bearer token revocation. Only
 * {@code io.sessionkit.servlet} is exported; {@code io.sessionkit.servlet.internal} is not API.
 */
module io.sessionkit.servlet {
  requires transitive io.sessionkit.core;
  requires transitive jakarta.servlet;
  requires org.slf4j;

  exports io.sessionkit.servlet;
}
