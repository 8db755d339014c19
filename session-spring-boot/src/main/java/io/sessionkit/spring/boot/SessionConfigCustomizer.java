package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionConfig;

/**
 * Adjusts the {@link io.sessionkit.core.SessionConfig} the auto-configured session store is built
 * with, for what properties cannot say: a login policy computed at startup, an id generator,
 * listeners not declared as beans.
 *
 * <p>Every bean of this type is applied, in {@link org.springframework.core.annotation.Order}
 * order, after the properties; what it sets wins over them. Called once, at startup.
 */
@FunctionalInterface
public interface SessionConfigCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the builder, already holding the values of the properties
   */
  void customize(SessionConfig.Builder builder);
}
