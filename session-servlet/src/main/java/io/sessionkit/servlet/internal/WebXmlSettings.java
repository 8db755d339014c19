package io.sessionkit.servlet.internal;

import io.sessionkit.core.SessionStore;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.IdTransport;
import io.sessionkit.servlet.SameSite;
import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@code web.xml}-declared {@link SessionFilter}: its store from a ServletContext
 * attribute and the rest from init parameters ({@code SessionFilter.PARAM_*}), each value checked
 * with a message that names the parameter.
 */
public final class WebXmlSettings {
  private WebXmlSettings() {}

  /**
   * Reads the filter's settings.
   *
   * @param config the filter's configuration
   * @return a builder holding them
   * @throws ServletException if the store attribute holds no store
   * @throws IllegalArgumentException if a parameter's value is bad (the message names it)
   */
  public static SessionFilter.Builder read(FilterConfig config) throws ServletException {
    String attr = param(config, SessionFilter.PARAM_STORE_ATTRIBUTE);
    String storeAttribute = attr == null ? SessionFilter.STORE_ATTRIBUTE : attr;
    Object store = config.getServletContext().getAttribute(storeAttribute);
    if (!(store instanceof SessionStore s)) {
      throw new ServletException(
          "SessionFilter '"
              + config.getFilterName()
              + "' needs a SessionStore in the"
              + " ServletContext attribute '"
              + storeAttribute
              + "' (set it in a ServletContextListener), found "
              + (store == null ? "nothing" : store.getClass().getName()));
    }
    SessionFilter.Builder b = SessionFilter.builder(s);
    String transport = param(config, SessionFilter.PARAM_TRANSPORT);
    if (transport != null) {
      b.transport(parseEnum(IdTransport.class, SessionFilter.PARAM_TRANSPORT, transport));
    }
    CookieSettings.Builder c = CookieSettings.builder();
    String v;
    if ((v = param(config, SessionFilter.PARAM_COOKIE_NAME)) != null) {
      c.name(v);
    }
    if ((v = param(config, SessionFilter.PARAM_COOKIE_PATH)) != null) {
      c.path(v);
    }
    if ((v = param(config, SessionFilter.PARAM_COOKIE_DOMAIN)) != null) {
      c.domain(v);
    }
    if ((v = param(config, SessionFilter.PARAM_COOKIE_MAX_AGE)) != null) {
      try {
        c.maxAge(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            SessionFilter.PARAM_COOKIE_MAX_AGE + " must be a number of seconds, was '" + v + "'",
            e);
      }
    }
    if ((v = param(config, SessionFilter.PARAM_COOKIE_SECURE)) != null) {
      c.secure(parseBoolean(SessionFilter.PARAM_COOKIE_SECURE, v));
    }
    if ((v = param(config, SessionFilter.PARAM_COOKIE_HTTP_ONLY)) != null) {
      c.httpOnly(parseBoolean(SessionFilter.PARAM_COOKIE_HTTP_ONLY, v));
    }
    if ((v = param(config, SessionFilter.PARAM_COOKIE_SAME_SITE)) != null) {
      c.sameSite(parseEnum(SameSite.class, SessionFilter.PARAM_COOKIE_SAME_SITE, v));
    }
    b.cookie(c.build());
    if ((v = param(config, SessionFilter.PARAM_HEADER_NAME)) != null) {
      b.headerName(v);
    }
    if ((v = param(config, SessionFilter.PARAM_REJECT_ENDED_PATHS)) != null) {
      b.rejectEndedSessions(split(v));
    }
    if ((v = param(config, SessionFilter.PARAM_PASSIVE_PATHS)) != null) {
      b.passivePaths(split(v));
    }
    return b;
  }

  private static @Nullable String param(FilterConfig config, String name) {
    String v = config.getInitParameter(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static String[] split(String v) {
    return Arrays.stream(v.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toArray(String[]::new);
  }

  private static boolean parseBoolean(String name, String v) {
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(name + " must be true or false, was '" + v + "'");
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String name, String v) {
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name
              + " must be one of "
              + Arrays.toString(type.getEnumConstants())
              + " (any case), was '"
              + v
              + "'",
          e);
    }
  }
}
