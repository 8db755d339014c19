package io.sessionkit.spring.boot.apps.resource;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stock Spring Boot resource server: Boot's JWT decoder from {@code
 * spring.security.oauth2.resourceserver.jwt.public-key-location}, no SessionKit code; the starter
 * adds the revocation check to the decoder's validators.
 */
@SpringBootApplication
public class ResourceApp {
  /** Who the token is for. */
  @RestController
  static class Api {
    @GetMapping("/api/me")
    String me(@AuthenticationPrincipal Jwt jwt) {
      return jwt.getSubject();
    }
  }
}
