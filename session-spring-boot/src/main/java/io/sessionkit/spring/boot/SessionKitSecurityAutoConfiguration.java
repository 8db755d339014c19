package io.sessionkit.spring.boot;

import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.spring.boot.internal.Settings;
import io.sessionkit.spring.security.RevokedJwtValidator;
import io.sessionkit.spring.security.SessionEndedStrategy;
import io.sessionkit.spring.security.SessionKitAuthenticationStrategy;
import io.sessionkit.spring.security.SessionKitLogoutHandler;
import io.sessionkit.spring.security.SessionKitSessionRegistry;
import io.sessionkit.spring.security.SignOutEverywhere;
import io.sessionkit.spring.security.SpringSecurityAttributeCodec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Wires Spring Security to SessionKit when both are present, so that a stock Spring Security app
 * needs no SessionKit code:
 *
 * <ul>
 *   <li>Spring Security's session objects (security context, CSRF token, saved request) are stored
 *       as JSON by {@link SpringSecurityAttributeCodec} (the application's principal types by
 *       {@code sessionkit.security.allowed-types}; other values by the {@link JsonAttributeCodec}
 *       that {@link JsonAttributeCodecCustomizer}s shape);
 *   <li>every {@link HttpSecurity} (Boot's default chain and the application's own) gets, through a
 *       {@code Customizer<HttpSecurity>} bean that Spring Security applies to each: the {@link
 *       SessionKitAuthenticationStrategy} (logins through SessionKit: new id, user bound, {@code
 *       sessionkit.login.*} enforced atomically across instances), the {@link
 *       SessionKitLogoutHandler} (logout ends the session with reason {@code LOGOUT} on every
 *       instance), and the {@link SessionEndedStrategy} as invalid-session strategy and as the
 *       entry point for requests whose session ended (a browser goes to {@code
 *       sessionkit.security.login-url?reason=replaced}, an API client gets a JSON 401);
 *   <li>a cluster-wide {@link SessionRegistry} ({@code maximumSessions(n)}, {@code expireNow()},
 *       admin pages), a {@link SignOutEverywhere}, and, with Spring Security's resource server, a
 *       {@link RevokedJwtValidator} that Boot adds to its {@code JwtDecoder}.
 * </ul>
 *
 * Each bean backs off when the application declares its own; the {@code Customizer} only sets what
 * the application's own DSL may still override. {@code sessionkit.security.enabled=false} turns all
 * of it off.
 */
@AutoConfiguration(
    after = SessionKitAutoConfiguration.class,
    beforeName = {
      "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
      "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SessionKitAuthenticationStrategy.class, HttpSecurity.class})
@ConditionalOnBean(SessionStore.class)
@ConditionalOnProperty(
    prefix = "sessionkit.security",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public final class SessionKitSecurityAutoConfiguration {
  /** Created by Spring. */
  public SessionKitSecurityAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(AttributeCodec.class)
  SpringSecurityAttributeCodec sessionKitSecurityCodec(
      SessionKitProperties properties,
      ObjectProvider<JsonAttributeCodecCustomizer> codecCustomizers) {
    JsonAttributeCodec.Builder json = JsonAttributeCodec.builder();
    codecCustomizers.orderedStream().forEach(c -> c.customize(json));
    SpringSecurityAttributeCodec.Builder b =
        SpringSecurityAttributeCodec.builder().delegate(json.build());
    for (Class<?> type : properties.getSecurity().getAllowedTypes()) {
      Settings.apply("sessionkit.security.allowed-types", type.getName(), () -> b.allowType(type));
    }
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  SessionKitAuthenticationStrategy sessionKitAuthenticationStrategy() {
    return SessionKitAuthenticationStrategy.defaults();
  }

  @Bean
  @ConditionalOnMissingBean
  SessionKitLogoutHandler sessionKitLogoutHandler() {
    return new SessionKitLogoutHandler();
  }

  @Bean
  @ConditionalOnMissingBean
  SessionEndedStrategy sessionKitSessionEndedStrategy(SessionKitProperties properties) {
    SessionEndedStrategy.Builder b = SessionEndedStrategy.builder();
    String login = properties.getSecurity().getLoginUrl();
    Settings.apply("sessionkit.security.login-url", login, () -> b.loginUrl(login));
    if (!properties.getServlet().getRejectEndedPaths().isEmpty()) {
      Settings.apply(
          "sessionkit.servlet.reject-ended-paths",
          properties.getServlet().getRejectEndedPaths(),
          () -> b.apiPaths(properties.getServlet().getRejectEndedPaths().toArray(String[]::new)));
    }
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean(SessionRegistry.class)
  SessionKitSessionRegistry sessionKitSessionRegistry(SessionStore store) {
    return SessionKitSessionRegistry.builder(store).build();
  }

  @Bean
  @ConditionalOnMissingBean
  SignOutEverywhere sessionKitSignOutEverywhere(
      SessionStore store, ObjectProvider<TokenRevocationService> tokens) {
    return SignOutEverywhere.builder(store).tokens(tokens.getIfUnique()).build();
  }

  /**
   * Applied by Spring Security to every {@link HttpSecurity} it hands out, before the application's
   * own DSL.
   */
  @Bean
  Customizer<HttpSecurity> sessionKitHttpSecurityCustomizer(
      SessionKitAuthenticationStrategy strategy,
      SessionKitLogoutHandler logout,
      SessionEndedStrategy ended) {
    return http -> {
      try {
        http.sessionManagement(
            s -> s.sessionAuthenticationStrategy(strategy).invalidSessionStrategy(ended));
        http.logout(l -> l.addLogoutHandler(logout));
        http.exceptionHandling(
            e ->
                e.defaultAuthenticationEntryPointFor(
                    ended, request -> SessionEndedStrategy.reasonOf(request).isPresent()));
      } catch (Exception e) {
        throw new IllegalStateException(
            "could not wire SessionKit into Spring Security: " + e.getMessage(), e);
      }
    };
  }

  /** With Spring Security's resource server: revoked JWTs are refused on every instance. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Jwt.class, OAuth2TokenValidator.class, RevokedJwtValidator.class})
  @ConditionalOnBean(TokenRevocationService.class)
  static class JwtRevocation {
    @Bean
    @ConditionalOnMissingBean(RevokedJwtValidator.class)
    RevokedJwtValidator sessionKitRevokedJwtValidator(TokenRevocationService tokens) {
      return RevokedJwtValidator.create(tokens);
    }
  }
}
