package io.sessionkit.spring.security.internal;

import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.http.HttpServletRequest;

/** The check that SessionKit, not the container, holds the request's session. */
public final class Filters {
  private Filters() {}

  /**
   * Fails loudly if the request did not pass through a {@link SessionFilter}: Spring Security would
   * otherwise work on a container session no other server knows, and nothing would say so.
   *
   * @param request the request
   * @param what what needs the filter, for the message
   * @throws IllegalStateException if the request did not pass through a {@link SessionFilter}
   */
  public static void requireSessionFilter(HttpServletRequest request, String what) {
    try {
      SessionFilter.currentSession(request);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          what
              + " needs SessionKit's SessionFilter mapped on /* ahead of Spring"
              + " Security's filter chain (order it before springSecurityFilterChain); this request did not pass"
              + " through it",
          e);
    }
  }
}
