package io.sessionkit.benchmarks.jmh;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The response half of {@link BareRequest}: it records status and headers and is never committed;
 * every other method throws {@link UnsupportedOperationException} naming itself.
 */
final class BareResponse implements HttpServletResponse {
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private int status = SC_OK;

  private static UnsupportedOperationException unsupported(String method) {
    return new UnsupportedOperationException(
        "BareResponse."
            + method
            + " (the benchmark's response implements only "
            + "what SessionFilter used when it was written)");
  }

  /**
   * @return the headers set so far
   */
  Map<String, List<String>> headers() {
    return headers;
  }

  @Override
  public String getCharacterEncoding() {
    return "UTF-8";
  }

  @Override
  public String getContentType() {
    throw unsupported("getContentType");
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    throw unsupported("getOutputStream");
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    throw unsupported("getWriter");
  }

  @Override
  public void setCharacterEncoding(String a0) {
    throw unsupported("setCharacterEncoding");
  }

  @Override
  public void setContentLength(int a0) {
    throw unsupported("setContentLength");
  }

  @Override
  public void setContentLengthLong(long a0) {
    throw unsupported("setContentLengthLong");
  }

  @Override
  public void setContentType(String a0) {
    throw unsupported("setContentType");
  }

  @Override
  public void setBufferSize(int a0) {
    throw unsupported("setBufferSize");
  }

  @Override
  public int getBufferSize() {
    throw unsupported("getBufferSize");
  }

  @Override
  public void flushBuffer() throws IOException {
    throw unsupported("flushBuffer");
  }

  @Override
  public void resetBuffer() {
    throw unsupported("resetBuffer");
  }

  @Override
  public boolean isCommitted() {
    return false;
  }

  @Override
  public void reset() {
    throw unsupported("reset");
  }

  @Override
  public void setLocale(Locale a0) {
    throw unsupported("setLocale");
  }

  @Override
  public Locale getLocale() {
    throw unsupported("getLocale");
  }

  @Override
  public void addCookie(Cookie a0) {
    throw unsupported("addCookie");
  }

  @Override
  public boolean containsHeader(String a0) {
    return headers.containsKey(a0);
  }

  @Override
  public String encodeURL(String a0) {
    throw unsupported("encodeURL");
  }

  @Override
  public String encodeRedirectURL(String a0) {
    throw unsupported("encodeRedirectURL");
  }

  @Override
  public void sendError(int a0, String a1) throws IOException {
    throw unsupported("sendError");
  }

  @Override
  public void sendError(int a0) throws IOException {
    throw unsupported("sendError");
  }

  @Override
  public void sendRedirect(String a0) throws IOException {
    throw unsupported("sendRedirect");
  }

  @Override
  public void setDateHeader(String a0, long a1) {
    throw unsupported("setDateHeader");
  }

  @Override
  public void addDateHeader(String a0, long a1) {
    throw unsupported("addDateHeader");
  }

  @Override
  public void setHeader(String a0, String a1) {
    headers.put(a0, new ArrayList<>(List.of(a1)));
  }

  @Override
  public void addHeader(String a0, String a1) {
    headers.computeIfAbsent(a0, k -> new ArrayList<>()).add(a1);
  }

  @Override
  public void setIntHeader(String a0, int a1) {
    throw unsupported("setIntHeader");
  }

  @Override
  public void addIntHeader(String a0, int a1) {
    throw unsupported("addIntHeader");
  }

  @Override
  public void setStatus(int a0) {
    status = a0;
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public @Nullable String getHeader(String a0) {
    List<String> v = headers.get(a0);
    return v == null ? null : v.get(0);
  }

  @Override
  public Collection<String> getHeaders(String a0) {
    return headers.getOrDefault(a0, List.of());
  }

  @Override
  public Collection<String> getHeaderNames() {
    return headers.keySet();
  }
}
