package io.sessionkit.spring.boot;

import io.sessionkit.redis.RedisOptions;

/**
 * Adjusts the {@link io.sessionkit.redis.RedisOptions} derived from {@code spring.data.redis.*} and
 * {@code sessionkit.redis.*}.
 *
 * <p>Every bean of this type is applied, in {@link org.springframework.core.annotation.Order}
 * order, after the properties; what it sets wins over them. Called once, at startup.
 */
@FunctionalInterface
public interface RedisOptionsCustomizer {
  /**
   * Adjusts the builder.
   *
   * @param builder the builder, already holding the values of the properties
   */
  void customize(RedisOptions.Builder builder);
}
