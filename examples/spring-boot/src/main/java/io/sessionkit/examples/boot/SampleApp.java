package io.sessionkit.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample: ordinary Spring Security (form login with its CSRF protection, logout), two demo
 * users, and pages that keep a counter in the {@code HttpSession} and list the user's devices.
 * Nothing here configures SessionKit: the starter and {@code application.properties} do.
 */
@SpringBootApplication
public class SampleApp {
  /**
   * Starts one instance; {@code ./demo spring} starts two.
   *
   * @param args Boot's command line, e.g. {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(SampleApp.class, args);
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            a -> a.requestMatchers("/login", "/error").permitAll().anyRequest().authenticated())
        .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false))
        .logout(l -> l.logoutSuccessUrl("/login?reason=logout"))
        .build();
  }

  /** Demo users alice and bob, password "demo", hashed at startup (never stored in clear). */
  @Bean
  UserDetailsService users() {
    PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password(encoder.encode("demo")).roles("USER").build(),
        User.withUsername("bob").password(encoder.encode("demo")).roles("USER").build());
  }
}
