/**
 * Spring Boot auto-configuration for SessionKit: with {@code
 * io.sessionkit:session-spring-boot-starter} on the class path, a servlet web application's {@code
 * HttpSession} lives in Redis (configured by Boot's {@code spring.data.redis.*}) and is shared by
 * every instance. See {@link io.sessionkit.spring.boot.SessionKitAutoConfiguration} for what is
 * configured and how to change it, and {@link io.sessionkit.spring.boot.SessionKitProperties} for
 * the {@code sessionkit.*} properties.
 */
@NullMarked
package io.sessionkit.spring.boot;

import org.jspecify.annotations.NullMarked;
