package io.sessionkit.servlet.internal;

import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.IdTransport;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Enumeration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the session id travels between client and server, chosen once when the filter is built: where
 * it is read from, how it is handed out and cleared, and which response headers belong to it (so
 * that the application cannot set them). The rest of the filter never asks which transport is
 * configured.
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class IdChannel permits IdChannel.Cookie, IdChannel.Header {
  private IdChannel() {}

  /**
   * @param transport the configured transport
   * @param cookie the cookie settings, for {@link IdTransport#COOKIE}
   * @param headerName the header, for {@link IdTransport#HEADER}
   * @return the channel
   */
  public static IdChannel of(IdTransport transport, CookieSettings cookie, String headerName) {
    return switch (transport) {
      case COOKIE -> new Cookie(cookie);
      case HEADER -> new Header(headerName);
    };
  }

  /**
   * @return the source named in {@code invalidIdPresented} events: {@code cookie} or {@code header}
   */
  abstract String source();

  /**
   * @param request the request
   * @return what the client presented
   */
  abstract PresentedId read(HttpServletRequest request);

  /**
   * @param id the id to hand to the client
   * @param now the current time
   * @return the response header (name, value) that does it
   */
  abstract Map.Entry<String, String> handOut(String id, Instant now);

  /**
   * @return the response header (name, value) that tells the client to drop its id
   */
  abstract Map.Entry<String, String> clear();

  /**
   * @param name a response header the application sets
   * @param value its value
   * @return whether it would set or replace the id (the application may not)
   */
  abstract boolean ownsHeader(String name, @Nullable String value);

  /**
   * @param cookieName the name of a cookie the application adds
   * @return whether it is the session cookie
   */
  abstract boolean ownsCookie(String cookieName);

  /**
   * @return whether ids come in a cookie ({@code isRequestedSessionIdFromCookie})
   */
  abstract boolean isCookie();

  /** The id in a cookie described by {@link CookieSettings}. */
  static final class Cookie extends IdChannel {
    private final CookieSettings settings;

    Cookie(CookieSettings settings) {
      this.settings = settings;
    }

    @Override
    String source() {
      return "cookie";
    }

    @Override
    PresentedId read(HttpServletRequest request) {
      return CookieHeaders.find(request.getHeaders("Cookie"), settings.name());
    }

    @Override
    Map.Entry<String, String> handOut(String id, Instant now) {
      return Map.entry("Set-Cookie", CookieHeaders.setCookie(settings, id, now));
    }

    @Override
    Map.Entry<String, String> clear() {
      return Map.entry("Set-Cookie", CookieHeaders.deleteCookie(settings));
    }

    @Override
    boolean ownsHeader(String name, @Nullable String value) {
      if (value == null || !"set-cookie".equalsIgnoreCase(name)) {
        return false;
      }
      int eq = value.indexOf('=');
      return eq > 0 && value.substring(0, eq).strip().equals(settings.name());
    }

    @Override
    boolean ownsCookie(String cookieName) {
      return settings.name().equals(cookieName);
    }

    @Override
    boolean isCookie() {
      return true;
    }

    @Override
    public String toString() {
      return "COOKIE, " + settings;
    }
  }

  /** The id in a request and response header. */
  static final class Header extends IdChannel {
    private final String name;

    Header(String name) {
      this.name = name;
    }

    @Override
    String source() {
      return "header";
    }

    @Override
    PresentedId read(HttpServletRequest request) {
      Enumeration<String> headers = request.getHeaders(name);
      if (headers == null) {
        return PresentedId.NONE;
      }
      String found = null;
      while (headers.hasMoreElements()) {
        String v = headers.nextElement().strip();
        if (found == null) {
          found = v;
        } else if (!found.equals(v)) {
          return PresentedId.AMBIGUOUS;
        }
      }
      return found == null ? PresentedId.NONE : PresentedId.of(found);
    }

    @Override
    Map.Entry<String, String> handOut(String id, Instant now) {
      return Map.entry(name, id);
    }

    @Override
    Map.Entry<String, String> clear() {
      return Map.entry(name, "");
    }

    @Override
    boolean ownsHeader(String header, @Nullable String value) {
      return name.equalsIgnoreCase(header);
    }

    @Override
    boolean ownsCookie(String cookieName) {
      return false;
    }

    @Override
    boolean isCookie() {
      return false;
    }

    @Override
    public String toString() {
      return "HEADER, " + name;
    }
  }
}
