package io.sessionkit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

/**
 * The request the application sees: its session methods go to the store through a {@link
 * SessionContext}; the container's own session machinery is never reached, so no container session
 * and no {@code JSESSIONID} is ever created, and an id in a URL is never looked at.
 */
public final class SessionRequest extends HttpServletRequestWrapper {
  private final SessionContext context;
  private final CommitGuardResponse response;

  /**
   * @param request the request to wrap
   * @param context the request's session state
   * @param response the response the application gets with this request
   */
  public SessionRequest(
      HttpServletRequest request, SessionContext context, CommitGuardResponse response) {
    super(request);
    this.context = context;
    this.response = response;
  }

  /**
   * Starts asynchronous processing with this request and the guarded response, so that {@code
   * AsyncContext.getRequest()} and {@code getResponse()} hand out the filter's wrappers.
   */
  @Override
  public AsyncContext startAsync() {
    return context.asyncStarted(super.startAsync(this, response));
  }

  @Override
  public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
    return context.asyncStarted(super.startAsync(servletRequest, servletResponse));
  }

  @Override
  public AsyncContext getAsyncContext() {
    return context.asyncContext(super.getAsyncContext());
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

  /**
   * @return the handle of the presented id (see {@code HttpSession#getId()}), or null
   */
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
    return context.hasRequestedId() && context.channel().isCookie();
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return false;
  }
}
