package io.sessionkit.spring.security.app;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.servlet.SessionFilter;
import io.sessionkit.spring.security.RevokedJwtValidator;
import io.sessionkit.spring.security.SessionEndedStrategy;
import io.sessionkit.spring.security.SessionKitAuthenticationStrategy;
import io.sessionkit.spring.security.SessionKitLogoutHandler;
import io.sessionkit.spring.security.SessionKitSessionRegistry;
import io.sessionkit.spring.security.SignOutEverywhere;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.crypto.SecretKey;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.filter.DelegatingFilterProxy;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * A small Spring MVC + Spring Security 7 application without Spring Boot, on embedded Tomcat:
 * {@link SessionFilter} first, then {@code springSecurityFilterChain}, then the {@code
 * DispatcherServlet}. Form login with CSRF, a resource-server chain for JWTs, and every piece of
 * this module wired as its README says.
 */
public final class SecurityApp implements AutoCloseable {
  /** Users: alice, bob, carol, dave, each with password "pw". */
  public static final String PASSWORD = "pw";

  /**
   * What differs between the application's instances.
   *
   * @param store the session store (its login policy)
   * @param tokens the token revocation service
   * @param jwtKey the HS256 key of the resource-server chain
   * @param maximumSessions Spring Security's {@code maximumSessions}, or 0 for none
   */
  public record Settings(
      SessionStore store, TokenRevocationService tokens, SecretKey jwtKey, int maximumSessions) {}

  private final Tomcat tomcat;
  private final AnnotationConfigWebApplicationContext spring;
  private final int port;

  private SecurityApp(Tomcat tomcat, AnnotationConfigWebApplicationContext spring) {
    this.tomcat = tomcat;
    this.spring = spring;
    this.port = tomcat.getConnector().getLocalPort();
  }

  /**
   * Starts the application on a free port of 127.0.0.1.
   *
   * @param settings the instance's settings
   * @return the running application
   */
  public static SecurityApp start(Settings settings) {
    try {
      Tomcat tomcat = new Tomcat();
      tomcat.setBaseDir(Files.createTempDirectory("sessionkit-spring").toString());
      Connector connector = new Connector();
      connector.setPort(0);
      connector.setProperty("address", "127.0.0.1");
      tomcat.setConnector(connector);
      Context context = tomcat.addContext("", null);
      context.setIgnoreAnnotations(true);
      AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
      spring.register(Config.class);
      spring.addBeanFactoryPostProcessor(
          bf -> {
            bf.registerSingleton("settings", settings);
            bf.registerSingleton("sessionStore", settings.store());
            bf.registerSingleton("tokenRevocationService", settings.tokens());
          });
      context.addServletContainerInitializer(
          (classes, servletContext) -> {
            // SessionFilter first, so that Spring Security's filters see SessionKit's HttpSession.
            SessionFilter.builder(settings.store()).register(servletContext);
            spring.setServletContext(servletContext);
            FilterRegistration.Dynamic security =
                servletContext.addFilter(
                    "springSecurityFilterChain",
                    new DelegatingFilterProxy("springSecurityFilterChain", spring));
            security.setAsyncSupported(true);
            security.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), true, "/*");
            ServletRegistration.Dynamic mvc =
                servletContext.addServlet("dispatcher", new DispatcherServlet(spring));
            mvc.setLoadOnStartup(1);
            mvc.addMapping("/");
          },
          null);
      tomcat.start();
      return new SecurityApp(tomcat, spring);
    } catch (IOException | LifecycleException e) {
      throw new IllegalStateException("the application did not start", e);
    }
  }

  /**
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * @param path a path
   * @return the URI of the path on this instance
   */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
    spring.close();
  }

  /** The Spring configuration. */
  @Configuration
  @EnableWebMvc
  @EnableWebSecurity
  public static class Config {
    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("alice").password("{noop}" + PASSWORD).roles("USER").build(),
          User.withUsername("bob").password("{noop}" + PASSWORD).roles("USER").build(),
          User.withUsername("carol").password("{noop}" + PASSWORD).roles("USER").build(),
          User.withUsername("dave").password("{noop}" + PASSWORD).roles("USER", "ADMIN").build());
    }

    @Bean
    SessionRegistry sessionRegistry(SessionStore store) {
      return SessionKitSessionRegistry.builder(store).build();
    }

    @Bean
    SignOutEverywhere signOutEverywhere(SessionStore store, TokenRevocationService tokens) {
      return SignOutEverywhere.builder(store).tokens(tokens).build();
    }

    @Bean
    JwtDecoder jwtDecoder(Settings settings, TokenRevocationService tokens) {
      NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(settings.jwtKey()).build();
      decoder.setJwtValidator(
          new DelegatingOAuth2TokenValidator<>(
              JwtValidators.createDefault(), RevokedJwtValidator.create(tokens)));
      return decoder;
    }

    @Bean
    @Order(1)
    SecurityFilterChain resourceServer(HttpSecurity http, JwtDecoder decoder) throws Exception {
      http.securityMatcher("/resource/**")
          .authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .csrf(c -> c.disable())
          .oauth2ResourceServer(o -> o.jwt(j -> j.decoder(decoder)));
      return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http, Settings settings, SessionRegistry registry)
        throws Exception {
      SessionEndedStrategy ended = SessionEndedStrategy.builder().apiPaths("/api/").build();
      http.authorizeHttpRequests(
              a ->
                  a.requestMatchers("/login", "/error")
                      .permitAll()
                      .requestMatchers("/admin/**")
                      .hasRole("ADMIN")
                      .anyRequest()
                      .authenticated())
          .formLogin(f -> f.loginPage("/login").permitAll())
          .sessionManagement(
              s -> {
                s.sessionAuthenticationStrategy(SessionKitAuthenticationStrategy.defaults())
                    .invalidSessionStrategy(ended);
                if (settings.maximumSessions() > 0) {
                  s.maximumSessions(settings.maximumSessions()).sessionRegistry(registry);
                }
              })
          .exceptionHandling(e -> e.authenticationEntryPoint(ended))
          .logout(l -> l.addLogoutHandler(new SessionKitLogoutHandler()));
      return http.build();
    }

    @Bean
    Endpoints endpoints(SessionRegistry registry, SignOutEverywhere signOut) {
      return new Endpoints(registry, signOut);
    }
  }

  /** The application's endpoints; plain text answers, one fact per line. */
  @RestController
  public static class Endpoints {
    private final SessionRegistry registry;
    private final SignOutEverywhere signOut;

    Endpoints(SessionRegistry registry, SignOutEverywhere signOut) {
      this.registry = registry;
      this.signOut = signOut;
    }

    /**
     * The application's own login page: a custom entry point switches Spring's generated one off.
     */
    @GetMapping(value = "/login", produces = "text/html")
    public String loginPage(
        CsrfToken token, @RequestParam(value = "reason", required = false) String reason) {
      return "<html><body>"
          + (reason == null
              ? ""
              : "<p id=\"reason\">signed out: " + reason.replaceAll("[^a-z_]", "") + "</p>")
          + "<form method=\"post\" action=\"/login\"><input name=\"username\"/><input name=\"password\""
          + " type=\"password\"/><input name=\"_csrf\" type=\"hidden\" value=\""
          + token.getToken()
          + "\"/></form>"
          + "</body></html>";
    }

    @GetMapping("/private")
    public String privatePage(Authentication auth) {
      return "private:" + auth.getName();
    }

    @GetMapping("/api/me")
    public String me(Authentication auth, HttpServletRequest request) {
      return "me:" + auth.getName() + "\nsession:" + request.getSession().getId();
    }

    @GetMapping("/api/csrf")
    public String csrf(CsrfToken token) {
      return token.getToken();
    }

    @GetMapping("/api/counter")
    public String counter(HttpSession session) {
      Integer n = (Integer) session.getAttribute("count");
      int next = n == null ? 1 : n + 1;
      session.setAttribute("count", next);
      return "count:" + next;
    }

    @GetMapping("/admin/sessions")
    public String sessions(@RequestParam("user") String user) {
      return registry.getAllSessions(user, false).stream()
          .map(SessionInformation::getSessionId)
          .collect(Collectors.joining(","));
    }

    @PostMapping("/admin/expire")
    public String expire(@RequestParam("user") String user, @RequestParam("handle") String handle) {
      for (SessionInformation info : registry.getAllSessions(user, false)) {
        if (info.getSessionId().equals(handle)) {
          info.expireNow();
          return "expired:" + handle;
        }
      }
      return "unknown";
    }

    @PostMapping("/api/password")
    public String passwordChanged(
        Authentication auth, HttpServletRequest request, @RequestParam("keep") boolean keep) {
      return "ended:" + signOut.signOut(request, auth, keep);
    }

    @GetMapping("/resource/hello")
    public String resource(Authentication auth) {
      return "resource:" + auth.getName();
    }
  }

  /**
   * @return the reason code of an ended session, for assertions
   */
  static String code(EndReason reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }
}
