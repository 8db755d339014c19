package io.sessionkit.servlet.internal;

import io.sessionkit.core.StoreUnavailableException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The {@link AsyncContext} of a request that passed the filter. The container's own would hand out
 * the container's request and response from {@link #getRequest()} and {@link #getResponse()},
 * bypassing the session wrapper (an async {@code getSession()} would reach the container's session
 * manager) and the commit guard; and its {@link #complete()} would commit the response without the
 * session's cookie. This one is started with the filter's wrappers and writes the session (changes,
 * cookie, cache header) before it completes the request.
 */
final class SessionAsyncContext implements AsyncContext {
  private final AsyncContext delegate;
  private final SessionContext context;

  SessionAsyncContext(AsyncContext delegate, SessionContext context) {
    this.delegate = delegate;
    this.context = context;
  }

  AsyncContext delegate() {
    return delegate;
  }

  @Override
  public ServletRequest getRequest() {
    return delegate.getRequest();
  }

  @Override
  public ServletResponse getResponse() {
    return delegate.getResponse();
  }

  @Override
  public boolean hasOriginalRequestAndResponse() {
    return delegate.hasOriginalRequestAndResponse();
  }

  @Override
  public void dispatch() {
    delegate.dispatch();
  }

  @Override
  public void dispatch(String path) {
    delegate.dispatch(path);
  }

  @Override
  public void dispatch(ServletContext servletContext, String path) {
    delegate.dispatch(servletContext, path);
  }

  /** Writes the session while headers can still change, then completes. */
  @Override
  public void complete() {
    try {
      context.beforeCommit();
    } catch (StoreUnavailableException e) {
      context.storeUnavailable(e);
    } finally {
      delegate.complete();
    }
  }

  @Override
  public void start(Runnable run) {
    delegate.start(run);
  }

  @Override
  public void addListener(AsyncListener listener) {
    delegate.addListener(listener);
  }

  @Override
  public void addListener(
      AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
    delegate.addListener(listener, servletRequest, servletResponse);
  }

  @Override
  public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
    return delegate.createListener(clazz);
  }

  @Override
  public void setTimeout(long timeout) {
    delegate.setTimeout(timeout);
  }

  @Override
  public long getTimeout() {
    return delegate.getTimeout();
  }
}
