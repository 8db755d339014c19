package io.sessionkit.spring.security.internal;

import java.security.Principal;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The user id SessionKit files a Spring Security principal under: the name Spring Security gives
 * it.
 */
public final class Principals {
  private Principals() {}

  /**
   * The name of a principal, as {@code AbstractAuthenticationToken.getName()} derives it, so that a
   * login and a later registry lookup agree.
   *
   * @param principal a principal or an {@link Authentication}
   * @return its name
   */
  public static String nameOf(Object principal) {
    if (principal instanceof Authentication a) {
      return a.getName();
    }
    if (principal instanceof UserDetails u) {
      return u.getUsername();
    }
    if (principal instanceof AuthenticatedPrincipal p) {
      return p.getName();
    }
    if (principal instanceof Principal p) {
      return p.getName();
    }
    return principal.toString();
  }
}
