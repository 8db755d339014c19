package io.sessionkit.spring.security;

import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.AttributeDecodingException;
import io.sessionkit.core.AttributeEncodingException;
import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.spring.security.internal.AuthenticationExceptions;
import io.sessionkit.spring.security.internal.ExactInstants;
import io.sessionkit.spring.security.internal.Failures;
import io.sessionkit.spring.security.internal.VerifiedEncodings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.jackson.SecurityJacksonModules;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * An {@link AttributeCodec} that stores Spring Security's session objects as JSON, through Spring
 * Security 7's own Jackson 3 support ({@link SecurityJacksonModules}), and hands every other value
 * to a delegate codec ({@link JsonAttributeCodec#defaults()} unless told otherwise). No Java
 * serialization.
 *
 * <p><b>What it stores.</b> Values whose class is in a package under {@code
 * org.springframework.security} or extends or implements such a type (an application's own {@code
 * Authentication}, which must then be allowed), or one of the types the application {@linkplain
 * Builder#allowType(Class) allowed}, go through a Jackson 3 mapper with Spring Security's modules:
 * {@code SecurityContextImpl} holding a {@code UsernamePasswordAuthenticationToken} (principal
 * {@code User}), {@code RememberMeAuthenticationToken} or {@code AnonymousAuthenticationToken};
 * {@code SimpleGrantedAuthority} and {@code FactorGrantedAuthority} (with its {@code issuedAt});
 * {@code WebAuthenticationDetails}; {@code DefaultCsrfToken} (what {@code
 * HttpSessionCsrfTokenRepository} keeps); {@code DefaultSavedRequest}; any {@code
 * AuthenticationException} (what the login failure handler keeps, as its class and message only,
 * without stack trace or cause); and, when {@code spring-security-oauth2-client} is present, {@code
 * OAuth2AuthenticationToken}, {@code DefaultOAuth2User}, {@code DefaultOidcUser}, {@code
 * OAuth2AuthorizationRequest} and {@code OAuth2AuthorizedClient}. Nested objects carry their class
 * name (Spring Security's format), and reading instantiates a class only if the allowlist (Spring
 * Security's types plus the application's) admits it.
 *
 * <p>A {@code Map} or {@code Collection} holding such a value (the map of authorized clients {@code
 * HttpSessionOAuth2AuthorizedClientRepository} keeps) goes the same way, if its own class is one
 * Spring Security's allowlist admits ({@code HashMap}, {@code LinkedHashMap}, {@code ArrayList},
 * ...).
 *
 * <p><b>Stored form.</b> {@code {"@springSecurity":<Spring Security's JSON>}}. Every other value is
 * stored exactly as the delegate encodes it, so sessions written with the delegate alone read back
 * unchanged. A delegate encoding that would start like this envelope (a map whose first key is
 * {@code "@springSecurity"}) is refused.
 *
 * <p><b>Nothing that cannot be read back is written.</b> {@link #encode} reads every Spring
 * encoding back before returning it; a value that does not come back as the same class (a principal
 * type that is not allowed, a class Jackson cannot construct) fails at {@code setAttribute} with an
 * {@link AttributeEncodingException} naming the attribute, the type and the root cause. Encodings
 * that were verified are remembered by digest (at most {@value #VERIFIED_CACHE_SIZE}), so a session
 * value written again unchanged is not read back again. A stored value that fails to decode later
 * (a class removed, an allowlist narrowed) throws an {@link AttributeDecodingException} naming the
 * attribute, the stored type and the root cause, once.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * AttributeCodec codec = SpringSecurityAttributeCodec.builder()
 *     .allowType(MyUser.class)                 // the application's principal, with a @JsonCreator
 *     .delegate(JsonAttributeCodec.builder().allowType("cart", Cart.class).build())
 *     .build();
 * SessionStore store = RedisSessionStore.create(options, SessionConfig.builder().codec(codec).build());
 * }</pre>
 */
public final class SpringSecurityAttributeCodec implements AttributeCodec {
  /** The property of the envelope that marks a Spring Security value: {@value}. */
  public static final String ENVELOPE_PROPERTY = "@springSecurity";

  /** How many verified encodings are remembered (by SHA-256 digest, never in clear): {@value}. */
  public static final int VERIFIED_CACHE_SIZE = 10_000;

  private static final String PREFIX = "{\"" + ENVELOPE_PROPERTY + "\":";
  private static final String SPRING_SECURITY_PACKAGE = "org.springframework.security.";

  private final Set<Class<?>> allowedTypes;
  private final List<JacksonModule> modules;
  private final AttributeCodec delegate;
  private final ClassLoader classLoader;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final VerifiedEncodings verified = new VerifiedEncodings(VERIFIED_CACHE_SIZE);

  private SpringSecurityAttributeCodec(Builder b) {
    this.allowedTypes = Set.copyOf(b.allowedTypes);
    this.modules = List.copyOf(b.modules);
    this.delegate = b.delegate;
    this.classLoader = b.classLoader;
    BasicPolymorphicTypeValidator.Builder ptv =
        BasicPolymorphicTypeValidator.builder()
            // Read back by AuthenticationExceptions through a (String) constructor only.
            .allowIfSubType(AuthenticationException.class);
    for (Class<?> type : b.allowedTypes) {
      ptv.allowIfSubType(type);
    }
    JsonMapper mapper =
        JsonMapper.builder()
            // Spring Security's modules, the allowlist completed by each module, and default typing
            // bound to it.
            .addModules(SecurityJacksonModules.getModules(classLoader, ptv))
            .addModules(modules)
            .addModule(new AuthenticationExceptions())
            .addModule(new ExactInstants())
            .build();
    this.writer = mapper.writerFor(Object.class);
    this.reader = mapper.readerFor(Object.class);
  }

  /**
   * A codec with Spring Security's types only, delegating other values to {@link
   * JsonAttributeCodec#defaults()}.
   *
   * @return a new codec
   */
  public static SpringSecurityAttributeCodec defaults() {
    return builder().build();
  }

  /**
   * A builder with Spring Security's types only, delegating to {@link
   * JsonAttributeCodec#defaults()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this codec's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.allowedTypes.addAll(allowedTypes);
    b.modules.addAll(modules);
    b.delegate = delegate;
    b.classLoader = classLoader;
    return b;
  }

  /**
   * @return the application types allowed besides Spring Security's, unmodifiable
   */
  public Set<Class<?>> allowedTypes() {
    return allowedTypes;
  }

  /**
   * @return the application's Jackson modules, unmodifiable
   */
  public List<JacksonModule> modules() {
    return modules;
  }

  /**
   * @return the codec of values that are not Spring Security's or the application's allowed types
   */
  public AttributeCodec delegate() {
    return delegate;
  }

  /**
   * Whether a value of this class is stored through Spring Security's Jackson support rather than
   * the delegate.
   *
   * @param type a value's class
   * @return true for classes under {@code org.springframework.security}, classes that extend or
   *     implement one (an application's own {@code Authentication}), and allowed types
   */
  public boolean handles(Class<?> type) {
    return SPRING_TYPES.get(type) || isAllowed(type);
  }

  /**
   * Whether a class is Spring Security's or extends or implements one of its types: decided once
   * per class.
   */
  private static final ClassValue<Boolean> SPRING_TYPES =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.getName().startsWith(SPRING_SECURITY_PACKAGE)) {
              return true;
            }
            for (Class<?> i : c.getInterfaces()) {
              if (i.getName().startsWith(SPRING_SECURITY_PACKAGE) || computeValue(i)) {
                return true;
              }
            }
          }
          return false;
        }
      };

  /**
   * A Spring value, or a map or collection holding one (what {@code
   * HttpSessionOAuth2AuthorizedClientRepository} keeps).
   */
  private boolean handlesValue(Object value) {
    if (handles(value.getClass())) {
      return true;
    }
    Iterable<?> elements =
        value instanceof Map<?, ?> m
            ? m.values()
            : value instanceof Collection<?> c ? c : List.of();
    for (Object element : elements) {
      if (element != null && handles(element.getClass())) {
        return true;
      }
    }
    return false;
  }

  private boolean isAllowed(Class<?> type) {
    for (Class<?> allowed : allowedTypes) {
      if (allowed.isAssignableFrom(type)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String encode(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!handlesValue(value)) {
      String encoded = delegate.encode(name, value);
      if (encoded.startsWith(PREFIX)) {
        throw AttributeEncodingException.of(
            name,
            value.getClass(),
            "encodes as a map whose first key is '" + ENVELOPE_PROPERTY + "', which is reserved",
            null);
      }
      return encoded;
    }
    String json;
    try {
      json = writer.writeValueAsString(value);
    } catch (JacksonException | IllegalArgumentException e) {
      throw AttributeEncodingException.of(
          name, value.getClass(), "could not be encoded as JSON: " + Failures.describe(e), e);
    }
    String encoded = PREFIX + json + "}";
    if (!verified.contains(encoded)) {
      // Read it back now, so that a value that could never be read back fails at setAttribute and
      // not, silently, on the next request.
      Object back;
      try {
        back = reader.readValue(json);
      } catch (JacksonException | IllegalArgumentException e) {
        throw AttributeEncodingException.of(
            name,
            value.getClass(),
            "can be written but not read back: "
                + Failures.describe(e)
                + "; allow the types it holds with SpringSecurityAttributeCodec.builder().allowType(..) and give them a"
                + " @JsonCreator or a mixin module",
            e);
      }
      if (back == null || back.getClass() != value.getClass()) {
        throw AttributeEncodingException.of(
            name,
            value.getClass(),
            "reads back as " + (back == null ? "null" : back.getClass().getName()),
            null);
      }
      verified.add(encoded);
    }
    return encoded;
  }

  @Override
  public Object decode(String name, String encoded) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(encoded, "encoded");
    if (!encoded.startsWith(PREFIX)) {
      return delegate.decode(name, encoded);
    }
    if (!encoded.endsWith("}")) {
      throw new AttributeDecodingException(
          name, "attribute '" + name + "' is a truncated Spring Security value", null);
    }
    String json = encoded.substring(PREFIX.length(), encoded.length() - 1);
    try {
      Object value = reader.readValue(json);
      if (value == null) {
        throw new AttributeDecodingException(
            name, "attribute '" + name + "' is an empty Spring Security value", null);
      }
      return value;
    } catch (JacksonException | IllegalArgumentException e) {
      throw new AttributeDecodingException(
          name,
          "attribute '"
              + name
              + "' of type "
              + Failures.storedType(json)
              + " could not be decoded: "
              + Failures.describe(e),
          e);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SpringSecurityAttributeCodec c
        && allowedTypes.equals(c.allowedTypes)
        && modules.equals(c.modules)
        && delegate.equals(c.delegate)
        && classLoader.equals(c.classLoader);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowedTypes, modules, delegate);
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    allowedTypes.forEach(t -> names.add(t.getName()));
    return "SpringSecurityAttributeCodec{allowed="
        + names
        + ", modules="
        + modules.size()
        + ", delegate="
        + delegate
        + '}';
  }

  /**
   * Builds a {@link SpringSecurityAttributeCodec}; each setter validates at once. Not thread-safe.
   */
  public static final class Builder {
    private final Set<Class<?>> allowedTypes = new LinkedHashSet<>();
    private final List<JacksonModule> modules = new ArrayList<>();
    private AttributeCodec delegate = JsonAttributeCodec.defaults();
    private ClassLoader classLoader = SpringSecurityAttributeCodec.class.getClassLoader();

    private Builder() {}

    /**
     * Allows an application type (and its subtypes) to be read back from a stored class name: a
     * principal, an {@code Authentication}, its details or an authority. Its values are stored
     * through Spring Security's Jackson support too. The type needs a {@code @JsonCreator} (or a
     * mixin in a {@linkplain #addModule(JacksonModule) module}).
     *
     * @param type the type
     * @return this builder
     * @throws IllegalArgumentException if the type is a primitive, an array, {@code Object}, or a
     *     JDK type ({@code java.*}, {@code javax.*}), which would open the allowlist far too wide
     */
    public Builder allowType(Class<?> type) {
      Objects.requireNonNull(type, "type");
      String n = type.getName();
      if (type.isPrimitive()
          || type.isArray()
          || type == Object.class
          || n.startsWith("java.")
          || n.startsWith("javax.")
          || n.startsWith("jdk.")
          || n.startsWith("sun.")) {
        throw new IllegalArgumentException(
            "allowType: "
                + n
                + " is a primitive, array or JDK type; allow the"
                + " application's own classes only");
      }
      // An interface or abstract class admits every implementation of it: allow concrete classes
      // where you can.
      allowedTypes.add(type);
      return this;
    }

    /**
     * Adds a Jackson 3 module of the application, for mixins or deserializers of its types.
     *
     * @param module the module
     * @return this builder
     */
    public Builder addModule(JacksonModule module) {
      modules.add(Objects.requireNonNull(module, "module"));
      return this;
    }

    /**
     * The codec of every value that is neither Spring Security's nor an allowed type (strings,
     * numbers, lists, the application's own records).
     *
     * @param delegate the codec, default {@link JsonAttributeCodec#defaults()}
     * @return this builder
     * @throws IllegalArgumentException if it is a {@link SpringSecurityAttributeCodec}
     */
    public Builder delegate(AttributeCodec delegate) {
      Objects.requireNonNull(delegate, "delegate");
      if (delegate instanceof SpringSecurityAttributeCodec) {
        throw new IllegalArgumentException(
            "delegate: a SpringSecurityAttributeCodec cannot delegate to another one");
      }
      this.delegate = delegate;
      return this;
    }

    /**
     * The class loader Spring Security's optional modules (OAuth2 client, LDAP, SAML, CAS) are
     * looked up in.
     *
     * @param classLoader the class loader, default this class's
     * @return this builder
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * @return the codec
     */
    public SpringSecurityAttributeCodec build() {
      return new SpringSecurityAttributeCodec(this);
    }
  }
}
