package io.sessionkit.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response the application sees: every path by which the response can become committed first
 * runs {@link SessionContext#beforeCommit()}, so the session is written and its cookie set while
 * headers can still change. Those paths: {@code flushBuffer}, a flush or close of the writer or
 * stream, a write that fills the buffer, {@code sendRedirect}, {@code sendError}, and setting the
 * content length (after which the container commits as soon as that many bytes are written).
 *
 * <p>The application cannot set the session cookie itself: {@code addCookie} and {@code Set-Cookie}
 * headers with the session cookie's name are dropped, so there is exactly one {@code Set-Cookie}
 * for that name. {@code encodeURL} and {@code encodeRedirectURL} return their input: the id never
 * goes into a URL.
 */
public final class CommitGuardResponse extends HttpServletResponseWrapper {
  private static final Logger LOG = LoggerFactory.getLogger(CommitGuardResponse.class);

  private final SessionContext context;
  private @Nullable ServletOutputStream stream;
  private @Nullable PrintWriter writer;
  private long written;

  /** Upper bound of the bytes one char becomes in the writer's charset. */
  private int bytesPerChar = 4;

  /**
   * @param response the response to wrap
   * @param context the request's session state
   */
  public CommitGuardResponse(HttpServletResponse response, SessionContext context) {
    super(response);
    this.context = context;
  }

  private void guard() {
    context.beforeCommit();
  }

  private void wrote(long count) {
    written += count;
    // Once the buffer is full the container commits on its own: write the session first.
    if (written >= getBufferSize()) {
      guard();
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    guard();
    super.flushBuffer();
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    guard();
    super.sendRedirect(location);
  }

  /**
   * Servlet 6.1 overload, reached by containers that implement it.
   *
   * @param location the location
   * @param sc the status code
   * @param clearBuffer whether to clear the buffer
   * @throws IOException as the container's
   */
  public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
    guard();
    invoke(
        "sendRedirect",
        new Class<?>[] {String.class, int.class, boolean.class},
        location,
        sc,
        clearBuffer);
  }

  /**
   * Servlet 6.1 overload, reached by containers that implement it.
   *
   * @param location the location
   * @param sc the status code
   * @throws IOException as the container's
   */
  public void sendRedirect(String location, int sc) throws IOException {
    guard();
    invoke("sendRedirect", new Class<?>[] {String.class, int.class}, location, sc);
  }

  /**
   * Servlet 6.1 overload, reached by containers that implement it.
   *
   * @param location the location
   * @param clearBuffer whether to clear the buffer
   * @throws IOException as the container's
   */
  public void sendRedirect(String location, boolean clearBuffer) throws IOException {
    guard();
    invoke("sendRedirect", new Class<?>[] {String.class, boolean.class}, location, clearBuffer);
  }

  private void invoke(String name, Class<?>[] types, Object... args) throws IOException {
    try {
      Method m = getResponse().getClass().getMethod(name, types);
      m.invoke(getResponse(), args);
    } catch (InvocationTargetException e) {
      Throwable t = e.getCause();
      if (t instanceof IOException io) {
        throw io;
      }
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error err) {
        throw err;
      }
      throw new IOException(t);
    } catch (ReflectiveOperationException e) {
      throw new UnsupportedOperationException(name + " is not supported by this container", e);
    }
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    guard();
    super.sendError(sc, msg);
  }

  @Override
  public void sendError(int sc) throws IOException {
    guard();
    super.sendError(sc);
  }

  @Override
  public void setContentLength(int len) {
    guard();
    super.setContentLength(len);
  }

  @Override
  public void setContentLengthLong(long len) {
    guard();
    super.setContentLengthLong(len);
  }

  @Override
  public void reset() {
    super.reset();
    written = 0;
    context.afterReset();
  }

  @Override
  public void resetBuffer() {
    super.resetBuffer();
    written = 0;
  }

  @Override
  public void setHeader(String name, @Nullable String value) {
    if (isContentLength(name) && value != null) {
      guard();
    }
    if (isOurCookie(name, value) || isProtected(name)) {
      return;
    }
    super.setHeader(name, value);
    if (isSetCookie(name)) {
      // setHeader replaced every Set-Cookie, the session's included: put it back.
      context.restoreSessionCookie();
    }
  }

  @Override
  public void addHeader(String name, @Nullable String value) {
    if (isContentLength(name) && value != null) {
      guard();
    }
    if (isOurCookie(name, value) || isProtected(name)) {
      return;
    }
    super.addHeader(name, value);
  }

  @Override
  public void setIntHeader(String name, int value) {
    if (isContentLength(name)) {
      guard();
    }
    if (isProtected(name)) {
      return;
    }
    super.setIntHeader(name, value);
  }

  @Override
  public void addIntHeader(String name, int value) {
    if (isContentLength(name)) {
      guard();
    }
    if (isProtected(name)) {
      return;
    }
    super.addIntHeader(name, value);
  }

  @Override
  public void setDateHeader(String name, long date) {
    if (!isProtected(name)) {
      super.setDateHeader(name, date);
    }
  }

  @Override
  public void addDateHeader(String name, long date) {
    if (!isProtected(name)) {
      super.addDateHeader(name, date);
    }
  }

  /**
   * Whether the application may no longer set this header: the id header of header mode always; the
   * caching headers once the session's cookie or header is on the response, which must stay {@code
   * Cache-Control: private, no-store} so that no shared cache serves one user's id to another
   * ({@code CDN-Cache-Control} and {@code Surrogate-Control} are obeyed by CDNs before {@code
   * Cache-Control}).
   */
  private boolean isProtected(String name) {
    if (!isSetCookie(name) && context.channel().ownsHeader(name, "")) {
      LOG.warn("the application tried to set the session id header '{}' itself; dropped", name);
      return true;
    }
    boolean caching =
        "cache-control".equalsIgnoreCase(name)
            || "cdn-cache-control".equalsIgnoreCase(name)
            || "surrogate-control".equalsIgnoreCase(name);
    if (caching && context.sessionHeadersSent()) {
      LOG.debug(
          "{} set by the application on a response that carries the session id; ignored", name);
      return true;
    }
    return false;
  }

  private static boolean isSetCookie(String name) {
    return "set-cookie".equalsIgnoreCase(name);
  }

  private static boolean isContentLength(String name) {
    return "content-length".equalsIgnoreCase(name);
  }

  private boolean isOurCookie(String name, @Nullable String value) {
    boolean ours = isSetCookie(name) && context.channel().ownsHeader(name, value);
    if (ours) {
      LOG.warn("the application tried to set the session cookie itself; dropped");
    }
    return ours;
  }

  @Override
  public void addCookie(Cookie cookie) {
    if (context.channel().ownsCookie(cookie.getName())) {
      LOG.warn(
          "the application tried to set the session cookie '{}' itself; dropped", cookie.getName());
      return;
    }
    super.addCookie(cookie);
  }

  @Override
  public String encodeURL(String url) {
    return url;
  }

  @Override
  public String encodeRedirectURL(String url) {
    return url;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    ServletOutputStream s = stream;
    if (s == null) {
      s = new GuardedStream(super.getOutputStream());
      stream = s;
    }
    return s;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    PrintWriter w = writer;
    if (w == null) {
      PrintWriter inner = super.getWriter();
      // The charset is fixed once the writer exists: bound its bytes per char from it.
      bytesPerChar = maxBytesPerChar(getCharacterEncoding());
      w = new PrintWriter(new GuardedWriter(inner), false);
      writer = w;
    }
    return w;
  }

  /**
   * The most bytes one char can become in a charset (rounded up; a charset with a byte-order mark
   * adds it once, covered by the rounding for any realistic buffer): UTF-8 3, UTF-16 4, UTF-32 4,
   * ISO-8859-1 1. An unknown or unsupported name counts 4, the most any JDK charset needs.
   */
  static int maxBytesPerChar(@Nullable String charset) {
    if (charset == null) {
      return 4;
    }
    try {
      float max = Charset.forName(charset).newEncoder().maxBytesPerChar();
      return Math.max(1, (int) Math.ceil(max));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return 4;
    }
  }

  private final class GuardedStream extends ServletOutputStream {
    private final ServletOutputStream delegate;

    GuardedStream(ServletOutputStream delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(int b) throws IOException {
      wrote(1);
      delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      wrote(len);
      delegate.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      guard();
      delegate.flush();
    }

    @Override
    public void close() throws IOException {
      guard();
      delegate.close();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
      delegate.setWriteListener(writeListener);
    }
  }

  private final class GuardedWriter extends Writer {
    private final PrintWriter delegate;

    GuardedWriter(PrintWriter delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      wrote((long) bytesPerChar * len);
      delegate.write(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
      wrote((long) bytesPerChar * len);
      delegate.write(str, off, len);
    }

    @Override
    public void flush() throws IOException {
      guard();
      delegate.flush();
    }

    @Override
    public void close() throws IOException {
      guard();
      delegate.close();
    }
  }
}
