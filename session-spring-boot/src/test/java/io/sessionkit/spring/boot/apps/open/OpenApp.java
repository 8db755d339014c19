package io.sessionkit.spring.boot.apps.open;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Boot app with a session counter and no login, for the tests of the auto-configuration itself
 * (properties, back-off, Redis outages). Spring Security is on the test class path, so it is
 * opened.
 */
@SpringBootApplication
public class OpenApp {
  @Bean
  SecurityFilterChain open(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .csrf(c -> c.disable())
        .build();
  }

  /** The counter. */
  @RestController
  static class Counter {
    @GetMapping("/counter")
    String counter(HttpSession session) {
      Integer n = (Integer) session.getAttribute("n");
      n = n == null ? 1 : n + 1;
      session.setAttribute("n", n);
      return "count=" + n;
    }

    @GetMapping("/timeout")
    String timeout(HttpServletRequest request) {
      HttpSession s = request.getSession();
      return "maxInactiveInterval=" + s.getMaxInactiveInterval();
    }
  }
}
