package io.sessionkit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * The request the application sees: its session methods go to the store through a
 * {@link SessionContext}; the container's own session machinery is never reached, so no container
 * session and no {@code JSESSIONID} is ever created, and an id in a URL is never looked at.
 */
public final class SessionRequest extends HttpServletRequestWrapper {
  private final SessionContext context;

  /**
   * @param request the request to wrap
   * @param context the request's session state
   */
  public SessionRequest(HttpServletRequest request, SessionContext context) {
    super(request);
    this.context = context;
  }

  @Override
  public @Nullable HttpSession getSession(boolean create) {
    return context.getSession(create);
  }

  @Override
  public HttpSession getSession() {
    HttpSession s = context.getSession(true);
    if (s == null) {
      throw new IllegalStateException("getSession(true) returned no session");
    }
    return s;
  }

  @Override
  public String changeSessionId() {
    return context.changeSessionId();
  }

  /** @return the handle of the presented id (see {@code HttpSession#getId()}), or null */
  @Override
  public @Nullable String getRequestedSessionId() {
    return context.requestedHandle();
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return context.isRequestedSessionIdValid();
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return context.hasRequestedId() && context.options().transport() == io.sessionkit.servlet.IdTransport.COOKIE;
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return false;
  }
}
