package io.sessionkit.spring.boot;

import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationListener;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionListener;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.redis.NearCacheOptions;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.SameSite;
import io.sessionkit.servlet.SessionFilter;
import io.sessionkit.spring.boot.internal.BootRedisOptions;
import io.sessionkit.spring.boot.internal.RedisServices;
import io.sessionkit.spring.boot.internal.Settings;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Cookie;
import org.springframework.boot.web.server.servlet.Session;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Makes a servlet web application's {@code HttpSession} cluster-wide: a {@link SessionFilter} on a
 * {@link SessionStore} in Redis, registered ahead of Spring Security.
 *
 * <p><b>What is configured, and from where.</b>
 *
 * <ul>
 *   <li>The Redis connection from Boot's own {@code spring.data.redis.*} (url, host, port,
 *       username, password, database, ssl, timeout, connect-timeout, sentinel, cluster), plus
 *       {@code sessionkit.redis.*}. One connection per application, shared by the session store and
 *       the token revocation service. {@code sessionkit.store=memory} keeps sessions in this JVM
 *       instead (one instance only, logged at startup as not shared).
 *   <li>The idle timeout from {@code server.servlet.session.timeout}; the cookie from {@code
 *       server.servlet.session.cookie.*} (name, path, domain, secure, http-only, same-site,
 *       max-age); unset values keep SessionKit's secure defaults ({@code __Host-sid}, Secure,
 *       HttpOnly, SameSite=Lax).
 *   <li>Everything else from {@link SessionKitProperties} ({@code sessionkit.*}).
 *   <li>Beans the application declares are used: {@link SessionListener}s, {@link
 *       RevocationListener}s, an {@link AttributeCodec}, a {@link Clock}, and the customizers
 *       ({@link SessionConfigCustomizer}, {@link JsonAttributeCodecCustomizer}, {@link
 *       RedisOptionsCustomizer}, {@link RevocationConfigCustomizer}, {@link
 *       SessionFilterCustomizer}).
 * </ul>
 *
 * <p><b>Backing off.</b> An application's own {@link SessionStore}, {@link TokenRevocationService},
 * {@link SessionConfig}, {@link RevocationConfig}, {@link RedisOptions} or {@link SessionFilter}
 * bean replaces the auto-configured one. Whatever filter is used, it is registered by this class at
 * {@link #FILTER_ORDER}, so it always runs before Spring Security's filter chain. Startup fails if
 * Spring Session's {@code SessionRepositoryFilter} is present too (two filters would each replace
 * the session), or if {@code spring.security.filter.order} is set to run before SessionKit.
 *
 * <p><b>Redis down at startup.</b> Startup fails with {@link RedisUnreachableException}, naming the
 * URI (password masked) and the properties to change. With {@code
 * sessionkit.redis.lazy-connect=true} the application starts anyway and answers 503 to requests
 * that need a session until Redis answers.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
    beforeName = {
      "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SessionFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(
    prefix = "sessionkit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(SessionKitProperties.class)
public final class SessionKitAutoConfiguration {
  /**
   * The servlet filter order of SessionKit's filter: {@code Integer.MIN_VALUE + 50}, as Spring
   * Session's, far ahead of Spring Security's ({@code -100} by default), so every filter that
   * touches the session sees SessionKit's.
   */
  public static final int FILTER_ORDER = Integer.MIN_VALUE + 50;

  /**
   * The dispatcher types the filter is mapped for, as Boot maps Spring Session's: request, async,
   * error.
   */
  public static final EnumSet<DispatcherType> DISPATCHER_TYPES =
      EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);

  private static final Logger LOG = LoggerFactory.getLogger(SessionKitAutoConfiguration.class);
  private static final String SPRING_SESSION_FILTER =
      "org.springframework.session.web.http.SessionRepositoryFilter";

  /** Created by Spring. */
  public SessionKitAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  SessionConfig sessionKitSessionConfig(
      SessionKitProperties properties,
      Environment environment,
      ObjectProvider<AttributeCodec> codec,
      ObjectProvider<JsonAttributeCodecCustomizer> codecCustomizers,
      ObjectProvider<SessionListener> listeners,
      ObjectProvider<Clock> clock,
      ObjectProvider<SessionConfigCustomizer> customizers) {
    SessionConfig.Builder b = SessionConfig.builder();
    b.ttlPolicy(ttlPolicy(properties, bootSession(environment), environment));
    b.loginPolicy(loginPolicy(properties.getLogin()));
    AttributeCodec appCodec = codec.getIfUnique();
    if (appCodec != null) {
      b.codec(appCodec);
    } else {
      JsonAttributeCodec.Builder json = JsonAttributeCodec.builder();
      codecCustomizers.orderedStream().forEach(c -> c.customize(json));
      b.codec(json.build());
    }
    listeners.orderedStream().forEach(b::addListener);
    Clock c = clock.getIfUnique();
    if (c != null) {
      b.clock(c);
    }
    b.auditLogging(properties.isAuditLogging());
    Settings.apply(
        "sessionkit.tombstone-ttl",
        properties.getTombstoneTtl(),
        () -> b.tombstoneTtl(properties.getTombstoneTtl()));
    Settings.apply(
        "sessionkit.max-session-bytes",
        properties.getMaxSessionBytes(),
        () -> b.maxSessionBytes(properties.getMaxSessionBytes()));
    customizers.orderedStream().forEach(cu -> cu.customize(b));
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  RevocationConfig sessionKitRevocationConfig(
      SessionKitProperties properties,
      ObjectProvider<Clock> clock,
      ObjectProvider<RevocationListener> listeners,
      ObjectProvider<RevocationConfigCustomizer> customizers) {
    RevocationConfig.Builder b = RevocationConfig.builder();
    SessionKitProperties.Tokens t = properties.getTokens();
    Settings.apply(
        "sessionkit.tokens.clock-skew", t.getClockSkew(), () -> b.clockSkew(t.getClockSkew()));
    Settings.apply(
        "sessionkit.tokens.max-revocation-ttl",
        t.getMaxRevocationTtl(),
        () -> b.maxRevocationTtl(t.getMaxRevocationTtl()));
    Settings.apply(
        "sessionkit.tokens.watermark-ttl",
        t.getWatermarkTtl(),
        () -> b.watermarkTtl(t.getWatermarkTtl()));
    Clock c = clock.getIfUnique();
    if (c != null) {
      b.clock(c);
    }
    b.auditLogging(properties.isAuditLogging());
    listeners.orderedStream().forEach(b::addListener);
    customizers.orderedStream().forEach(cu -> cu.customize(b));
    return Settings.apply("sessionkit.tokens", "(see above)", b::build);
  }

  /** {@code sessionkit.store=memory}: one instance only. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "sessionkit", name = "store", havingValue = "memory")
  static class InMemoryStoreConfiguration {
    @Bean
    @ConditionalOnMissingBean
    SessionStore sessionKitSessionStore(SessionConfig config) {
      LOG.warn(
          "SessionKit: sessions are kept in this instance's memory (sessionkit.store=memory): they are NOT shared"
              + " with other instances and are lost on restart. Remove sessionkit.store to keep them in Redis.");
      return InMemorySessionStore.create(config);
    }

    @Bean
    @ConditionalOnMissingBean
    TokenRevocationService sessionKitTokenRevocationService(
        RevocationConfig config, SessionStore sessions) {
      return InMemoryTokenRevocationService.create(config, sessions);
    }
  }

  /** The default: Redis, from {@code spring.data.redis.*}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(
      prefix = "sessionkit",
      name = "store",
      havingValue = "redis",
      matchIfMissing = true)
  static class RedisStoreConfiguration {
    @Bean
    @ConditionalOnMissingBean
    RedisOptions sessionKitRedisOptions(
        SessionKitProperties properties,
        Environment environment,
        ObjectProvider<SslBundles> sslBundles,
        ObjectProvider<RedisOptionsCustomizer> customizers) {
      DataRedisProperties redis =
          Binder.get(environment).bindOrCreate("spring.data.redis", DataRedisProperties.class);
      RedisOptions options = BootRedisOptions.from(redis, properties, sslBundles.getIfAvailable());
      if (customizers.orderedStream().findAny().isEmpty()) {
        return options;
      }
      RedisOptions.Builder b = options.toBuilder();
      customizers.orderedStream().forEach(c -> c.customize(b));
      return b.build();
    }

    @Bean(destroyMethod = "close")
    @Conditional(StoreOrTokensMissing.class)
    RedisServices sessionKitRedisServices(
        RedisOptions options,
        SessionConfig sessionConfig,
        RevocationConfig revocationConfig,
        SessionKitProperties properties) {
      NearCacheOptions near = nearCache(properties.getRedis().getNearCache());
      if (properties.getRedis().isLazyConnect()) {
        RedisServices s = RedisServices.lazy(options, sessionConfig, revocationConfig, near);
        LOG.info(
            "SessionKit: sessions in Redis at {}{}",
            BootRedisOptions.describe(options),
            s.isConnected() ? "" : " (not reachable yet: answering 503 until it is)");
        return s;
      }
      try {
        RedisServices s = RedisServices.connect(options, sessionConfig, revocationConfig, near);
        LOG.info(
            "SessionKit: sessions in Redis at {}{}",
            BootRedisOptions.describe(options),
            near != null ? ", near cache on" : "");
        return s;
      } catch (StoreUnavailableException e) {
        String where = BootRedisOptions.describe(options);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        String why =
            root == e
                ? String.valueOf(e.getMessage())
                : e.getMessage()
                    + " ("
                    + root.getClass().getSimpleName()
                    + ": "
                    + root.getMessage()
                    + ")";
        throw new RedisUnreachableException(
            where,
            "SessionKit could not connect to Redis at "
                + where
                + " (connect timeout "
                + options.connectTimeout()
                + ", command timeout "
                + options.commandTimeout()
                + "): "
                + why
                + ". Set sessionkit.redis.lazy-connect=true to start anyway and answer 503 until Redis is reachable,"
                + " or change spring.data.redis.url / spring.data.redis.host and spring.data.redis.port",
            e);
      }
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    SessionStore sessionKitSessionStore(RedisServices services) {
      return services.sessions();
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    TokenRevocationService sessionKitTokenRevocationService(RedisServices services) {
      return services.tokens();
    }

    private static @Nullable NearCacheOptions nearCache(SessionKitProperties.NearCache n) {
      if (!n.isEnabled()) {
        return null;
      }
      NearCacheOptions.Builder b = NearCacheOptions.builder();
      Settings.apply(
          "sessionkit.redis.near-cache.max-age", n.getMaxAge(), () -> b.maxAge(n.getMaxAge()));
      Settings.apply(
          "sessionkit.redis.near-cache.maximum-sessions",
          n.getMaximumSessions(),
          () -> b.maximumSessions(n.getMaximumSessions()));
      Settings.apply(
          "sessionkit.redis.near-cache.maximum-tokens",
          n.getMaximumTokens(),
          () -> b.maximumTokens(n.getMaximumTokens()));
      Settings.apply(
          "sessionkit.redis.near-cache.channel", n.getChannel(), () -> b.channel(n.getChannel()));
      return b.build();
    }
  }

  /** Matches unless the application declared both a SessionStore and a TokenRevocationService. */
  static final class StoreOrTokensMissing extends AnyNestedCondition {
    StoreOrTokensMissing() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnMissingBean(SessionStore.class)
    static final class NoStore {}

    @ConditionalOnMissingBean(TokenRevocationService.class)
    static final class NoTokens {}
  }

  @Bean
  @ConditionalOnMissingBean
  SessionFilter sessionKitFilter(
      SessionStore store,
      SessionKitProperties properties,
      Environment environment,
      ObjectProvider<SessionFilterCustomizer> customizers) {
    SessionKitProperties.Servlet s = properties.getServlet();
    SessionFilter.Builder b =
        SessionFilter.builder(store)
            .transport(s.getTransport())
            .cookie(cookie(bootSession(environment).getCookie()));
    Settings.apply(
        "sessionkit.servlet.header-name", s.getHeaderName(), () -> b.headerName(s.getHeaderName()));
    if (!s.getRejectEndedPaths().isEmpty()) {
      Settings.apply(
          "sessionkit.servlet.reject-ended-paths",
          s.getRejectEndedPaths(),
          () -> b.rejectEndedSessions(s.getRejectEndedPaths().toArray(String[]::new)));
    }
    if (!s.getPassivePaths().isEmpty()) {
      Settings.apply(
          "sessionkit.servlet.passive-paths",
          s.getPassivePaths(),
          () -> b.passivePaths(s.getPassivePaths().toArray(String[]::new)));
    }
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  /**
   * Registers whichever {@link SessionFilter} bean there is, the application's or this class's, at
   * {@link #FILTER_ORDER} on {@code /*}: there is no property to move it, so it cannot end up
   * behind Spring Security.
   */
  @Bean
  FilterRegistrationBean<SessionFilter> sessionKitFilterRegistration(
      SessionFilter filter, ListableBeanFactory beanFactory, Environment environment) {
    refuseSpringSession(beanFactory);
    Integer securityOrder = environment.getProperty("spring.security.filter.order", Integer.class);
    if (securityOrder != null && securityOrder <= FILTER_ORDER) {
      throw Settings.invalid(
          "spring.security.filter.order",
          securityOrder,
          "Spring Security's filter chain must run"
              + " after SessionKit's filter (order Integer.MIN_VALUE + 50), or it would see the container's session");
    }
    FilterRegistrationBean<SessionFilter> r = new FilterRegistrationBean<>(filter);
    r.setName(SessionFilter.DEFAULT_FILTER_NAME);
    r.setOrder(FILTER_ORDER);
    r.setDispatcherTypes(DISPATCHER_TYPES);
    r.setUrlPatterns(List.of("/*"));
    r.setAsyncSupported(true);
    return r;
  }

  private static void refuseSpringSession(ListableBeanFactory beanFactory) {
    ClassLoader loader = SessionKitAutoConfiguration.class.getClassLoader();
    if (!ClassUtils.isPresent(SPRING_SESSION_FILTER, loader)) {
      return;
    }
    String[] names =
        beanFactory.getBeanNamesForType(
            ClassUtils.resolveClassName(SPRING_SESSION_FILTER, loader), true, false);
    if (names.length > 0) {
      throw new IllegalStateException(
          "SessionKit and Spring Session are both configured: Spring Session's"
              + " SessionRepositoryFilter (bean "
              + Arrays.toString(names)
              + ") and SessionKit's filter would each"
              + " replace the HttpSession, and sessions would be split between them. Use one: remove Spring Session"
              + " (spring-session-* dependencies, @Enable*HttpSession) or set sessionkit.enabled=false");
    }
  }

  private static Session bootSession(Environment environment) {
    return Binder.get(environment).bindOrCreate("server.servlet.session", Session.class);
  }

  static TtlPolicy ttlPolicy(SessionKitProperties properties, Session session, Environment env) {
    TtlPolicy.Builder b = TtlPolicy.builder();
    Duration idle = session.getTimeout();
    // As in the Servlet API, a zero or negative timeout means the session never idles out.
    Duration idleOrNone = idle == null || idle.isZero() || idle.isNegative() ? null : idle;
    Settings.apply(
        "server.servlet.session.timeout",
        raw(env, "server.servlet.session.timeout", idle),
        () -> b.idleTimeout(idleOrNone));
    Duration absolute = properties.getTimeout().getAbsolute();
    Duration absoluteOrNone = absolute == null || absolute.isZero() ? null : absolute;
    Settings.apply(
        "sessionkit.timeout.absolute",
        raw(env, "sessionkit.timeout.absolute", absolute),
        () -> b.absoluteTimeout(absoluteOrNone));
    Duration touch = properties.getTimeout().getTouchInterval();
    Settings.apply(
        "sessionkit.timeout.touch-interval",
        raw(env, "sessionkit.timeout.touch-interval", touch),
        () -> b.touchInterval(touch));
    return Settings.apply(
        idleOrNone == null ? "server.servlet.session.timeout" : "sessionkit.timeout.absolute",
        idleOrNone == null
            ? raw(env, "server.servlet.session.timeout", idle)
            : raw(env, "sessionkit.timeout.absolute", absolute),
        b::build);
  }

  /**
   * The value as the user wrote it ("-5m"), for messages; the bound value if it came from
   * elsewhere.
   */
  private static @Nullable Object raw(Environment env, String property, @Nullable Object bound) {
    String written = env.getProperty(property);
    return written != null ? written : bound;
  }

  static LoginPolicy loginPolicy(SessionKitProperties.Login login) {
    LoginPolicy.Builder b = LoginPolicy.builder().onLimit(login.getOnLimit());
    if (login.getMaxSessions() < 0) {
      throw Settings.invalid(
          "sessionkit.login.max-sessions", login.getMaxSessions(), "must be 0 (no limit) or more");
    }
    if (login.getMaxSessions() > 0) {
      Settings.apply(
          "sessionkit.login.max-sessions",
          login.getMaxSessions(),
          () -> b.maxSessionsPerUser(login.getMaxSessions()));
    }
    if (login.getMaxSessionsPerDeviceType() < 0) {
      throw Settings.invalid(
          "sessionkit.login.max-sessions-per-device-type",
          login.getMaxSessionsPerDeviceType(),
          "must be 0 (no limit) or more");
    }
    if (login.getMaxSessionsPerDeviceType() > 0) {
      Settings.apply(
          "sessionkit.login.max-sessions-per-device-type",
          login.getMaxSessionsPerDeviceType(),
          () -> b.maxSessionsPerDeviceType(login.getMaxSessionsPerDeviceType()));
    }
    return Settings.apply("sessionkit.login", login.getMaxSessions(), b::build);
  }

  static CookieSettings cookie(Cookie c) {
    CookieSettings.Builder b = CookieSettings.builder();
    String p = "server.servlet.session.cookie.";
    String name = c.getName();
    if (name != null) {
      Settings.apply(p + "name", name, () -> b.name(name));
    }
    String path = c.getPath();
    if (path != null) {
      Settings.apply(p + "path", path, () -> b.path(path));
    }
    if (c.getDomain() != null) {
      Settings.apply(p + "domain", c.getDomain(), () -> b.domain(c.getDomain()));
    }
    if (c.getMaxAge() != null) {
      Duration maxAge = c.getMaxAge().isNegative() ? null : c.getMaxAge();
      Settings.apply(p + "max-age", c.getMaxAge(), () -> b.maxAge(maxAge));
    }
    if (c.getSecure() != null) {
      b.secure(c.getSecure());
    }
    if (c.getHttpOnly() != null) {
      b.httpOnly(c.getHttpOnly());
    }
    if (c.getSameSite() != null) {
      b.sameSite(
          switch (c.getSameSite()) {
            case NONE -> SameSite.NONE;
            case LAX -> SameSite.LAX;
            case STRICT -> SameSite.STRICT;
            case OMITTED ->
                throw Settings.invalid(
                    p + "same-site",
                    "omitted",
                    "SessionKit always sends SameSite on its cookie; choose lax, strict or none");
          });
    }
    if (Boolean.TRUE.equals(c.getPartitioned())) {
      throw Settings.invalid(
          p + "partitioned",
          true,
          "SessionKit's cookie does not support the Partitioned"
              + " attribute yet; remove the property or set it to false");
    }
    // The combination is checked last; name every property the check involves.
    return Settings.apply(
        p + "name",
        (c.getName() != null ? c.getName() : CookieSettings.DEFAULT_NAME)
            + " (with secure="
            + c.getSecure()
            + ", path="
            + c.getPath()
            + ", domain="
            + c.getDomain()
            + ", same-site="
            + c.getSameSite()
            + ")",
        b::build);
  }
}
