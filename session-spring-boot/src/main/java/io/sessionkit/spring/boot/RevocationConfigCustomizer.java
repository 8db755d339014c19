package io.sessionkit.spring.boot;

import io.sessionkit.core.RevocationConfig;

/**
 * Adjusts the {@link io.sessionkit.core.RevocationConfig} of the auto-configured token revocation
 * service.
 *
 * <p>Every bean of this type is applied, in {@link org.springframework.core.annotation.Order}
 * order, after the properties; what it sets wins over them. Called once, at startup.
 */
@FunctionalInterface
public interface RevocationConfigCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the builder, already holding the values of the properties
   */
  void customize(RevocationConfig.Builder builder);
}
