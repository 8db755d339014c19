package io.sessionkit.benchmarks.jmh;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A GET of {@code /app} over HTTPS carrying one {@code Cookie} header: just what {@code
 * SessionFilter.doFilter} reads of a request (request attributes, the cookie, the path, the
 * dispatch and async state), so that {@link ServletChangeBenchmark} can time the filter and the
 * session without a container. Jetty and Tomcat have no request objects that stand alone. Every
 * other method throws {@link UnsupportedOperationException} naming itself, so a filter that starts
 * using more of the request fails the benchmark instead of measuring something else.
 */
final class BareRequest implements HttpServletRequest {
  private final Map<String, Object> attributes = new HashMap<>();
  private final List<String> cookies;

  /**
   * @param cookie the value of the one {@code Cookie} header
   */
  BareRequest(String cookie) {
    this.cookies = List.of(cookie);
  }

  private static UnsupportedOperationException unsupported(String method) {
    return new UnsupportedOperationException(
        "BareRequest."
            + method
            + " (the benchmark's request implements only "
            + "what SessionFilter used when it was written)");
  }

  @Override
  public @Nullable Object getAttribute(String a0) {
    return attributes.get(a0);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return Collections.enumeration(attributes.keySet());
  }

  @Override
  public String getCharacterEncoding() {
    throw unsupported("getCharacterEncoding");
  }

  @Override
  public void setCharacterEncoding(String a0) throws UnsupportedEncodingException {
    throw unsupported("setCharacterEncoding");
  }

  @Override
  public int getContentLength() {
    throw unsupported("getContentLength");
  }

  @Override
  public long getContentLengthLong() {
    throw unsupported("getContentLengthLong");
  }

  @Override
  public String getContentType() {
    throw unsupported("getContentType");
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    throw unsupported("getInputStream");
  }

  @Override
  public String getParameter(String a0) {
    throw unsupported("getParameter");
  }

  @Override
  public Enumeration<String> getParameterNames() {
    throw unsupported("getParameterNames");
  }

  @Override
  public String[] getParameterValues(String a0) {
    throw unsupported("getParameterValues");
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    throw unsupported("getParameterMap");
  }

  @Override
  public String getProtocol() {
    throw unsupported("getProtocol");
  }

  @Override
  public String getScheme() {
    return "https";
  }

  @Override
  public String getServerName() {
    return "localhost";
  }

  @Override
  public int getServerPort() {
    return 443;
  }

  @Override
  public BufferedReader getReader() throws IOException {
    throw unsupported("getReader");
  }

  @Override
  public String getRemoteAddr() {
    throw unsupported("getRemoteAddr");
  }

  @Override
  public String getRemoteHost() {
    throw unsupported("getRemoteHost");
  }

  @Override
  public void setAttribute(String a0, Object a1) {
    attributes.put(a0, a1);
  }

  @Override
  public void removeAttribute(String a0) {
    attributes.remove(a0);
  }

  @Override
  public Locale getLocale() {
    throw unsupported("getLocale");
  }

  @Override
  public Enumeration<Locale> getLocales() {
    throw unsupported("getLocales");
  }

  @Override
  public boolean isSecure() {
    return true;
  }

  @Override
  public RequestDispatcher getRequestDispatcher(String a0) {
    throw unsupported("getRequestDispatcher");
  }

  @Override
  public int getRemotePort() {
    throw unsupported("getRemotePort");
  }

  @Override
  public String getLocalName() {
    throw unsupported("getLocalName");
  }

  @Override
  public String getLocalAddr() {
    throw unsupported("getLocalAddr");
  }

  @Override
  public int getLocalPort() {
    throw unsupported("getLocalPort");
  }

  @Override
  public ServletContext getServletContext() {
    throw unsupported("getServletContext");
  }

  @Override
  public AsyncContext startAsync() throws IllegalStateException {
    throw unsupported("startAsync");
  }

  @Override
  public AsyncContext startAsync(ServletRequest a0, ServletResponse a1)
      throws IllegalStateException {
    throw unsupported("startAsync");
  }

  @Override
  public boolean isAsyncStarted() {
    return false;
  }

  @Override
  public boolean isAsyncSupported() {
    return false;
  }

  @Override
  public AsyncContext getAsyncContext() {
    throw unsupported("getAsyncContext");
  }

  @Override
  public DispatcherType getDispatcherType() {
    return DispatcherType.REQUEST;
  }

  @Override
  public String getRequestId() {
    throw unsupported("getRequestId");
  }

  @Override
  public String getProtocolRequestId() {
    throw unsupported("getProtocolRequestId");
  }

  @Override
  public ServletConnection getServletConnection() {
    throw unsupported("getServletConnection");
  }

  @Override
  public String getAuthType() {
    throw unsupported("getAuthType");
  }

  @Override
  public Cookie[] getCookies() {
    throw unsupported("getCookies");
  }

  @Override
  public long getDateHeader(String a0) {
    throw unsupported("getDateHeader");
  }

  @Override
  public @Nullable String getHeader(String a0) {
    return "Cookie".equalsIgnoreCase(a0) ? cookies.get(0) : null;
  }

  @Override
  public Enumeration<String> getHeaders(String a0) {
    return Collections.enumeration("Cookie".equalsIgnoreCase(a0) ? cookies : List.of());
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    return Collections.enumeration(List.of("Cookie"));
  }

  @Override
  public int getIntHeader(String a0) {
    throw unsupported("getIntHeader");
  }

  @Override
  public String getMethod() {
    return "GET";
  }

  @Override
  public @Nullable String getPathInfo() {
    return null;
  }

  @Override
  public String getPathTranslated() {
    throw unsupported("getPathTranslated");
  }

  @Override
  public String getContextPath() {
    return "";
  }

  @Override
  public @Nullable String getQueryString() {
    return null;
  }

  @Override
  public String getRemoteUser() {
    throw unsupported("getRemoteUser");
  }

  @Override
  public boolean isUserInRole(String a0) {
    throw unsupported("isUserInRole");
  }

  @Override
  public Principal getUserPrincipal() {
    throw unsupported("getUserPrincipal");
  }

  @Override
  public String getRequestedSessionId() {
    throw unsupported("getRequestedSessionId");
  }

  @Override
  public String getRequestURI() {
    return "/app";
  }

  @Override
  public StringBuffer getRequestURL() {
    throw unsupported("getRequestURL");
  }

  @Override
  public String getServletPath() {
    return "/app";
  }

  @Override
  public HttpSession getSession(boolean a0) {
    throw unsupported("getSession");
  }

  @Override
  public HttpSession getSession() {
    throw unsupported("getSession");
  }

  @Override
  public String changeSessionId() {
    throw unsupported("changeSessionId");
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    throw unsupported("isRequestedSessionIdValid");
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    throw unsupported("isRequestedSessionIdFromCookie");
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    throw unsupported("isRequestedSessionIdFromURL");
  }

  @Override
  public boolean authenticate(HttpServletResponse a0) throws IOException, ServletException {
    throw unsupported("authenticate");
  }

  @Override
  public void login(String a0, String a1) throws ServletException {
    throw unsupported("login");
  }

  @Override
  public void logout() throws ServletException {
    throw unsupported("logout");
  }

  @Override
  public Collection<Part> getParts() throws IOException, ServletException {
    throw unsupported("getParts");
  }

  @Override
  public Part getPart(String a0) throws IOException, ServletException {
    throw unsupported("getPart");
  }

  @Override
  public <T extends HttpUpgradeHandler> T upgrade(Class<T> a0)
      throws IOException, ServletException {
    throw unsupported("upgrade");
  }
}
