package io.sessionkit.spring.boot;

import io.sessionkit.servlet.SessionFilter;

/**
 * Adjusts the auto-configured {@link io.sessionkit.servlet.SessionFilter}: {@code
 * HttpSessionListener}s and {@code HttpSessionIdListener}s to call, paths, the cookie beyond {@code
 * server.servlet.session.cookie.*}.
 *
 * <p>Every bean of this type is applied, in {@link org.springframework.core.annotation.Order}
 * order, after the properties; what it sets wins over them. Called once, at startup.
 */
@FunctionalInterface
public interface SessionFilterCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the builder, already holding the values of the properties
   */
  void customize(SessionFilter.Builder builder);
}
