package io.sessionkit.spring.boot;

import io.sessionkit.core.JsonAttributeCodec;

/**
 * Allows the application's own attribute types in the auto-configured {@link
 * io.sessionkit.core.JsonAttributeCodec} (used when the application declares no {@link
 * io.sessionkit.core.AttributeCodec} bean), e.g. {@code builder -> builder.allowType("cart",
 * Cart.class)}.
 *
 * <p>Every bean of this type is applied, in {@link org.springframework.core.annotation.Order}
 * order, after the properties; what it sets wins over them. Called once, at startup.
 */
@FunctionalInterface
public interface JsonAttributeCodecCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the builder, already holding the values of the properties
   */
  void customize(JsonAttributeCodec.Builder builder);
}
