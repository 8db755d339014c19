package io.sessionkit.servlet.internal;

import io.sessionkit.servlet.CookieSettings;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Enumeration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads the session cookie from raw {@code Cookie} headers and writes {@code Set-Cookie} values.
 *
 * <p>The container's cookie parser is not used: parsers differ on quoted values, and one of them
 * (CVE-2023-26049) let a quoted value of another cookie swallow or smuggle the session cookie. Here
 * a value that opens a quote which does not close before the next {@code ;} starts a quoted span; a
 * session cookie seen inside such a span makes the presentation ambiguous, and an ambiguous
 * presentation yields no session. So do two session cookies with different values: the client is
 * never given "the first one".
 */
public final class CookieHeaders {
  private static final DateTimeFormatter EXPIRES =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** The most header values and cookie pairs looked at; beyond, the presentation is ambiguous. */
  private static final int MAX_PAIRS = 512;

  private CookieHeaders() {}

  /**
   * Finds the value of one cookie in every {@code Cookie} header of a request.
   *
   * @param headers the raw header values, or null if the container hides them
   * @param name the cookie name, compared case-sensitively
   * @return what the client presented under that name
   */
  public static PresentedId find(@Nullable Enumeration<String> headers, String name) {
    if (headers == null) {
      return PresentedId.NONE;
    }
    String found = null;
    boolean ambiguous = false;
    int pairs = 0;
    while (headers.hasMoreElements()) {
      String header = headers.nextElement();
      if (header == null) {
        continue;
      }
      boolean inQuote = false;
      int start = 0;
      while (start <= header.length()) {
        int end = header.indexOf(';', start);
        if (end < 0) {
          end = header.length();
        }
        String part = header.substring(start, end);
        start = end + 1;
        if (++pairs > MAX_PAIRS) {
          return PresentedId.AMBIGUOUS;
        }
        int eq = part.indexOf('=');
        String n = (eq < 0 ? part : part.substring(0, eq)).strip();
        if (inQuote) {
          // Still inside a quoted value that another parser would read across ';'.
          if (n.equals(name)) {
            ambiguous = true;
          }
          if (part.indexOf('"') >= 0) {
            inQuote = false;
          }
          continue;
        }
        if (eq < 0) {
          continue;
        }
        String v = part.substring(eq + 1).strip();
        if (v.startsWith("\"")
            && (v.length() < 2 || !v.endsWith("\"") || v.indexOf('"', 1) != v.length() - 1)) {
          inQuote = v.indexOf('"', 1) < 0;
        }
        if (n.equals(name)) {
          if (found == null) {
            found = v;
          } else if (!found.equals(v)) {
            ambiguous = true;
          }
        }
      }
    }
    if (ambiguous) {
      return PresentedId.AMBIGUOUS;
    }
    return found == null ? PresentedId.NONE : PresentedId.of(found);
  }

  /**
   * A {@code Set-Cookie} value that hands the client an id.
   *
   * @param cookie the settings
   * @param id the session id (base64url, so no quoting or escaping is needed)
   * @param now the current time, for {@code Expires} of a persistent cookie
   * @return the header value
   */
  public static String setCookie(CookieSettings cookie, String id, Instant now) {
    StringBuilder sb = new StringBuilder(128).append(cookie.name()).append('=').append(id);
    appendScope(sb, cookie);
    cookie
        .maxAge()
        .ifPresent(
            maxAge ->
                sb.append("; Max-Age=")
                    .append(maxAge.getSeconds())
                    .append("; Expires=")
                    .append(EXPIRES.format(now.plus(maxAge))));
    appendFlags(sb, cookie);
    return sb.toString();
  }

  /**
   * A {@code Set-Cookie} value that deletes the session cookie: same name, path and domain, empty
   * value, {@code Max-Age=0} and an {@code Expires} in the past (both, for old and new browsers).
   *
   * @param cookie the settings
   * @return the header value
   */
  public static String deleteCookie(CookieSettings cookie) {
    StringBuilder sb = new StringBuilder(128).append(cookie.name()).append('=');
    appendScope(sb, cookie);
    sb.append("; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    appendFlags(sb, cookie);
    return sb.toString();
  }

  private static void appendScope(StringBuilder sb, CookieSettings cookie) {
    sb.append("; Path=").append(cookie.path());
    cookie.domain().ifPresent(d -> sb.append("; Domain=").append(d));
  }

  private static void appendFlags(StringBuilder sb, CookieSettings cookie) {
    if (cookie.secure()) {
      sb.append("; Secure");
    }
    if (cookie.httpOnly()) {
      sb.append("; HttpOnly");
    }
    sb.append("; SameSite=").append(cookie.sameSite().attributeValue());
  }
}
