package io.sessionkit.servlet.internal;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.SessionStore;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.IdTransport;
import java.util.EventListener;
import java.util.List;

/**
 * The settings of a {@code SessionFilter}, as the per-request machinery needs them.
 *
 * @param store the store
 * @param transport cookie or header
 * @param cookie the cookie settings, used in cookie mode
 * @param headerName the header in header mode
 * @param rejectEndedPrefixes servlet-path prefixes whose requests with an ended session get a 401
 * @param passivePrefixes servlet-path prefixes whose requests do not count as activity
 * @param listeners the session listeners given to the builder ({@link HttpListeners} adds the
 *     container's at init)
 * @param channel how the id travels, derived once from transport, cookie and header name
 */
public record FilterOptions(
    SessionStore store,
    IdTransport transport,
    CookieSettings cookie,
    String headerName,
    List<String> rejectEndedPrefixes,
    List<String> passivePrefixes,
    List<EventListener> listeners,
    IdChannel channel) {

  /** Copies the lists. */
  public FilterOptions {
    rejectEndedPrefixes = List.copyOf(rejectEndedPrefixes);
    passivePrefixes = List.copyOf(passivePrefixes);
    listeners = List.copyOf(listeners);
  }

  /**
   * Whether a path falls under one of the prefixes. A prefix {@code /api/} matches {@code /api} and
   * everything under {@code /api/}.
   *
   * @param prefixes the prefixes
   * @param path the normalized path within the application (servlet path plus path info)
   * @return whether it matches
   */
  public static boolean matches(List<String> prefixes, String path) {
    for (String p : prefixes) {
      if (path.startsWith(p) || (p.endsWith("/") && path.equals(p.substring(0, p.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param path the normalized path within the application
   * @return how an access on this path counts
   */
  public AccessMode accessModeFor(String path) {
    return matches(passivePrefixes, path) ? AccessMode.PASSIVE : AccessMode.EXTEND;
  }
}
