package io.sessionkit.spring.boot.apps.stock;

import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stock Spring Boot + Spring Security app: Boot's default security (form login, CSRF, every page
 * behind the login), its user from {@code spring.security.user.*}, and no SessionKit code at all:
 * the starter's auto-configuration and properties do everything.
 */
@SpringBootApplication
public class StockApp {
  /** A counter in the session, who is signed in, the CSRF token, a POST. */
  @RestController
  static class Pages {
    @GetMapping("/counter")
    String counter(HttpSession session) {
      Integer n = (Integer) session.getAttribute("n");
      n = n == null ? 1 : n + 1;
      session.setAttribute("n", n);
      return "count=" + n;
    }

    @GetMapping("/me")
    String me(Principal principal) {
      return principal.getName();
    }

    @GetMapping("/csrf")
    String csrf(CsrfToken token) {
      return token.getToken();
    }

    @PostMapping("/echo")
    String echo() {
      return "posted";
    }
  }
}
