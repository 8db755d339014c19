/**
 * SessionKit for Spring Security 7, without Spring Boot: Spring Security's session objects stored
 * as JSON ({@link io.sessionkit.spring.security.SpringSecurityAttributeCodec}), logins through
 * SessionKit's atomic login policy ({@link
 * io.sessionkit.spring.security.SessionKitAuthenticationStrategy}), a cluster-wide {@link
 * org.springframework.security.core.session.SessionRegistry} ({@link
 * io.sessionkit.spring.security.SessionKitSessionRegistry}), telling a signed-out user why ({@link
 * io.sessionkit.spring.security.SessionEndedStrategy}), logout and "sign out everywhere" ({@link
 * io.sessionkit.spring.security.SessionKitLogoutHandler}, {@link
 * io.sessionkit.spring.security.SignOutEverywhere}), and revocation checks for JWTs in resource
 * servers ({@link io.sessionkit.spring.security.RevokedJwtValidator}).
 *
 * <p>Every type in this package is null-hostile unless a parameter or return value is marked {@link
 * org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.sessionkit.spring.security;

import org.jspecify.annotations.NullMarked;
