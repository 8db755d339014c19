package io.sessionkit.spring.boot.apps.actuator;

import static org.springframework.security.config.Customizer.withDefaults;

import java.security.Principal;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot app with form login and Actuator. The actuator paths are open here so the test can reach
 * them without an administrator's login; a real application protects them.
 */
@SpringBootApplication
public class ActuatorApp {
  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            a -> a.requestMatchers("/actuator/**").permitAll().anyRequest().authenticated())
        .formLogin(withDefaults())
        .csrf(c -> c.ignoringRequestMatchers("/actuator/**"))
        .build();
  }

  /** Who is signed in. */
  @RestController
  static class Pages {
    @GetMapping("/me")
    String me(Principal principal) {
      return principal.getName();
    }
  }
}
