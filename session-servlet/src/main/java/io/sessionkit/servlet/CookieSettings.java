package io.sessionkit.servlet;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The session cookie: name and attributes. The defaults are the safe ones (OWASP, RFC 6265bis):
 * name {@value #DEFAULT_NAME} ({@code __Host-} prefix, not a name that fingerprints a framework),
 * {@code Secure}, {@code HttpOnly}, {@code Path=/}, no {@code Domain}, {@code SameSite=Lax}, and no
 * {@code Max-Age} (a browser-session cookie: the server decides when the session ends).
 *
 * <p>{@code Secure} is written whenever it is configured, whatever {@code request.isSecure()} or
 * {@code X-Forwarded-Proto} say. {@link Builder#build()} refuses combinations a browser would drop
 * or that weaken the cookie: a {@code __Host-} name with a {@code Domain}, a path other than {@code
 * /} or without {@code Secure}; a {@code __Secure-} name without {@code Secure}; {@code
 * SameSite=None} without {@code Secure}.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * CookieSettings cookie = CookieSettings.builder().name("__Host-app").sameSite(SameSite.STRICT).build();
 * }</pre>
 */
public final class CookieSettings {
  /** The default cookie name: {@code __Host-sid}. */
  public static final String DEFAULT_NAME = "__Host-sid";

  /** The default path: {@code /}. */
  public static final String DEFAULT_PATH = "/";

  /** The default {@code SameSite}: {@link SameSite#LAX}. */
  public static final SameSite DEFAULT_SAME_SITE = SameSite.LAX;

  private static final String HOST_PREFIX = "__Host-";
  private static final String SECURE_PREFIX = "__Secure-";
  private static final CookieSettings DEFAULTS = builder().build();

  private final String name;
  private final String path;
  private final @Nullable String domain;
  private final @Nullable Duration maxAge;
  private final boolean secure;
  private final boolean httpOnly;
  private final SameSite sameSite;

  private CookieSettings(Builder b) {
    this.name = b.name;
    this.path = b.path;
    this.domain = b.domain;
    this.maxAge = b.maxAge;
    this.secure = b.secure;
    this.httpOnly = b.httpOnly;
    this.sameSite = b.sameSite;
  }

  /**
   * @return the defaults described in the class comment
   */
  public static CookieSettings defaults() {
    return DEFAULTS;
  }

  /**
   * @return a builder starting from the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding these settings
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.path = path;
    b.domain = domain;
    b.maxAge = maxAge;
    b.secure = secure;
    b.httpOnly = httpOnly;
    b.sameSite = sameSite;
    return b;
  }

  /**
   * @return the cookie name
   */
  public String name() {
    return name;
  }

  /**
   * @return the {@code Path} attribute
   */
  public String path() {
    return path;
  }

  /**
   * @return the {@code Domain} attribute, empty for a host-only cookie
   */
  public Optional<String> domain() {
    return Optional.ofNullable(domain);
  }

  /**
   * @return the {@code Max-Age} of a persistent cookie, empty for a browser-session cookie
   */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /**
   * @return whether {@code Secure} is written
   */
  public boolean secure() {
    return secure;
  }

  /**
   * @return whether {@code HttpOnly} is written
   */
  public boolean httpOnly() {
    return httpOnly;
  }

  /**
   * @return the {@code SameSite} attribute, always written
   */
  public SameSite sameSite() {
    return sameSite;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CookieSettings c
        && name.equals(c.name)
        && path.equals(c.path)
        && Objects.equals(domain, c.domain)
        && Objects.equals(maxAge, c.maxAge)
        && secure == c.secure
        && httpOnly == c.httpOnly
        && sameSite == c.sameSite;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, path, domain, maxAge, secure, httpOnly, sameSite);
  }

  @Override
  public String toString() {
    return "CookieSettings{name="
        + name
        + ", path="
        + path
        + ", domain="
        + domain
        + ", maxAge="
        + maxAge
        + ", secure="
        + secure
        + ", httpOnly="
        + httpOnly
        + ", sameSite="
        + sameSite
        + '}';
  }

  /**
   * Builds {@link CookieSettings}; each setter validates its value, {@link #build()} the
   * combination.
   */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private String path = DEFAULT_PATH;
    private @Nullable String domain;
    private @Nullable Duration maxAge;
    private boolean secure = true;
    private boolean httpOnly = true;
    private SameSite sameSite = DEFAULT_SAME_SITE;

    private Builder() {}

    /**
     * @param name an RFC 6265 token, at most 256 characters (default {@value #DEFAULT_NAME})
     * @return this builder
     * @throws IllegalArgumentException if the name is empty, too long or holds a separator
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || name.length() > 256) {
        throw new IllegalArgumentException(
            "cookie name must be 1 to 256 characters, was " + name.length());
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
          throw new IllegalArgumentException(
              "cookie name must be an RFC 6265 token, has " + describe(c) + " at index " + i);
        }
      }
      this.name = name;
      return this;
    }

    /**
     * @param path the {@code Path} attribute, starting with {@code /} (default {@value
     *     #DEFAULT_PATH})
     * @return this builder
     * @throws IllegalArgumentException if it does not start with {@code /} or holds {@code ;} or a
     *     control character
     */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/") || path.length() > 1024) {
        throw new IllegalArgumentException(
            "cookie path must start with '/' and be at most 1024 characters, was '"
                + printable(path)
                + "'");
      }
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        if (c < 0x20 || c >= 0x7f || c == ';') {
          throw new IllegalArgumentException("cookie path has " + describe(c) + " at index " + i);
        }
      }
      this.path = path;
      return this;
    }

    /**
     * @param domain the {@code Domain} attribute, or null for a host-only cookie (default)
     * @return this builder
     * @throws IllegalArgumentException if it is not a host name
     */
    public Builder domain(@Nullable String domain) {
      if (domain != null) {
        String d = domain.startsWith(".") ? domain.substring(1) : domain;
        if (d.isEmpty()
            || d.length() > 253
            || !d.toLowerCase(Locale.ROOT).matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
          throw new IllegalArgumentException(
              "cookie domain must be a host name, was '" + printable(domain) + "'");
        }
        this.domain = d;
      } else {
        this.domain = null;
      }
      return this;
    }

    /**
     * Makes the cookie persistent. The session still ends when the server says so; this only
     * decides how long the browser keeps the id.
     *
     * @param maxAge a positive duration, or null for a browser-session cookie (default)
     * @return this builder
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder maxAge(@Nullable Duration maxAge) {
      if (maxAge != null && (maxAge.isZero() || maxAge.isNegative())) {
        throw new IllegalArgumentException("cookie maxAge must be positive, was " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * @param secure whether to write {@code Secure} (default true); only for plain-HTTP development
     * @return this builder
     */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /**
     * @param httpOnly whether to write {@code HttpOnly} (default true)
     * @return this builder
     */
    public Builder httpOnly(boolean httpOnly) {
      this.httpOnly = httpOnly;
      return this;
    }

    /**
     * @param sameSite the {@code SameSite} attribute (default {@link SameSite#LAX})
     * @return this builder
     */
    public Builder sameSite(SameSite sameSite) {
      this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException if the combination is one a browser rejects or that weakens
     *     the cookie (see the class comment); the message names the setting to change
     */
    public CookieSettings build() {
      if (name.regionMatches(true, 0, HOST_PREFIX, 0, HOST_PREFIX.length())) {
        if (domain != null) {
          throw new IllegalArgumentException(
              "cookie name '"
                  + name
                  + "' has the __Host- prefix, which forbids a Domain"
                  + " (was '"
                  + domain
                  + "'); remove the domain or rename the cookie");
        }
        if (!path.equals("/")) {
          throw new IllegalArgumentException(
              "cookie name '"
                  + name
                  + "' has the __Host- prefix, which requires Path=/"
                  + " (was '"
                  + path
                  + "'); use path \"/\" or rename the cookie");
        }
        if (!secure) {
          throw new IllegalArgumentException(
              "cookie name '"
                  + name
                  + "' has the __Host- prefix, which requires Secure;"
                  + " keep secure(true) or rename the cookie");
        }
      }
      if (name.regionMatches(true, 0, SECURE_PREFIX, 0, SECURE_PREFIX.length()) && !secure) {
        throw new IllegalArgumentException(
            "cookie name '"
                + name
                + "' has the __Secure- prefix, which requires Secure;"
                + " keep secure(true) or rename the cookie");
      }
      if (sameSite == SameSite.NONE && !secure) {
        throw new IllegalArgumentException(
            "SameSite=None requires Secure; browsers drop such a cookie."
                + " Keep secure(true) or choose SameSite LAX or STRICT");
      }
      return new CookieSettings(this);
    }

    private static String describe(char c) {
      return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String printable(String s) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < s.length() && i < 64; i++) {
        char c = s.charAt(i);
        sb.append(c >= 0x20 && c < 0x7f ? c : '?');
      }
      return sb.toString();
    }
  }
}
