package io.sessionkit.spring.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.savedrequest.DefaultSavedRequest;
import org.springframework.security.web.savedrequest.SavedCookie;

/**
 * The Spring Security session values the codec must store and read back, built as Spring Security
 * builds them.
 */
final class SecurityValues {
  /** An instant with nanoseconds, to see that FactorGrantedAuthority keeps issuedAt exactly. */
  static final Instant ISSUED_AT = Instant.parse("2026-12-02T06:30:01.123456789Z");

  private SecurityValues() {}

  static List<GrantedAuthority> authorities() {
    return List.of(
        new SimpleGrantedAuthority("ROLE_USER"),
        FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
            .issuedAt(ISSUED_AT)
            .build());
  }

  static User user() {
    return new User("alice", "", true, true, true, true, authorities());
  }

  static SecurityContextImpl usernamePassword() {
    UsernamePasswordAuthenticationToken auth =
        UsernamePasswordAuthenticationToken.authenticated(user(), null, authorities());
    auth.setDetails(new WebAuthenticationDetails("203.0.113.7", "handle-of-the-session"));
    return new SecurityContextImpl(auth);
  }

  static SecurityContextImpl rememberMe() {
    return new SecurityContextImpl(
        new RememberMeAuthenticationToken("remember-me-key", user(), authorities()));
  }

  static SecurityContextImpl anonymous() {
    return new SecurityContextImpl(
        new AnonymousAuthenticationToken(
            "anonymous-key",
            "anonymousUser",
            List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS"))));
  }

  static DefaultCsrfToken csrf() {
    return new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "5f1c6c0e-3a53-4b8f-9b1e-0d3f1f2e9a77");
  }

  static DefaultSavedRequest savedRequest() {
    return new DefaultSavedRequest.Builder()
        .setScheme("https")
        .setServerName("app.example")
        .setServerPort(443)
        .setContextPath("")
        .setServletPath("/orders")
        .setRequestURI("/orders")
        .setRequestURL("https://app.example/orders")
        .setQueryString("page=2")
        .setMethod("GET")
        .setHeaders(Map.of("accept", List.of("text/html")))
        .setParameters(Map.of("page", new String[] {"2"}))
        .setCookies(List.of(new SavedCookie("theme", "dark", null, 3600, "/", true)))
        .setLocales(List.of(Locale.UK))
        .setMatchingRequestParameterName("continue")
        .build();
  }

  static ClientRegistration registration() {
    return ClientRegistration.withRegistrationId("idp")
        .clientId("client-1")
        .clientSecret("client-secret")
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
        .scope("openid", "profile")
        .authorizationUri("https://idp.example/authorize")
        .tokenUri("https://idp.example/token")
        .jwkSetUri("https://idp.example/jwks")
        .userInfoUri("https://idp.example/userinfo")
        .userNameAttributeName("sub")
        .clientName("IdP")
        .build();
  }

  static SecurityContextImpl oidc() {
    Instant iat = Instant.parse("2026-12-02T06:00:00Z");
    OidcIdToken idToken =
        new OidcIdToken(
            "id-token-value",
            iat,
            iat.plusSeconds(3600),
            Map.of(
                "sub",
                "alice-sub",
                "iss",
                "https://idp.example",
                "aud",
                new ArrayList<>(List.of("client-1")),
                "email",
                "alice@example.org",
                "iat",
                iat,
                "exp",
                iat.plusSeconds(3600)));
    OidcUserInfo info = new OidcUserInfo(Map.of("sub", "alice-sub", "name", "Alice"));
    Set<GrantedAuthority> authorities = Set.of(new OidcUserAuthority(idToken, info));
    DefaultOidcUser principal = new DefaultOidcUser(authorities, idToken, info, "sub");
    return new SecurityContextImpl(new OAuth2AuthenticationToken(principal, authorities, "idp"));
  }

  static OAuth2AuthorizationRequest authorizationRequest() {
    return OAuth2AuthorizationRequest.authorizationCode()
        .authorizationUri("https://idp.example/authorize")
        .clientId("client-1")
        .redirectUri("https://app.example/login/oauth2/code/idp")
        .scopes(Set.of("openid"))
        .state("state-123")
        .attributes(Map.of("registration_id", "idp"))
        .build();
  }

  static Map<String, OAuth2AuthorizedClient> authorizedClients() {
    Instant iat = Instant.parse("2026-12-02T06:00:00Z");
    OAuth2AccessToken access =
        new OAuth2AccessToken(
            OAuth2AccessToken.TokenType.BEARER,
            "access-token-value",
            iat,
            iat.plusSeconds(600),
            Set.of("openid"));
    Map<String, OAuth2AuthorizedClient> clients = new LinkedHashMap<>();
    clients.put(
        "idp",
        new OAuth2AuthorizedClient(
            registration(), "alice", access, new OAuth2RefreshToken("refresh-token-value", iat)));
    return clients;
  }

  /** Name, value: everything a Spring Security web application keeps in its session. */
  static Map<String, Object> all() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("SPRING_SECURITY_CONTEXT", usernamePassword());
    all.put("remember-me", rememberMe());
    all.put("anonymous", anonymous());
    all.put(
        "org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository.CSRF_TOKEN", csrf());
    all.put("SPRING_SECURITY_SAVED_REQUEST", savedRequest());
    all.put("oidc", oidc());
    all.put("authorization-request", authorizationRequest());
    all.put("authorized-clients", authorizedClients());
    all.put("factor", authorities().get(1));
    return all;
  }
}
