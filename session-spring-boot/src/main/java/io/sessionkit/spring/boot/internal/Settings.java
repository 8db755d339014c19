package io.sessionkit.spring.boot.internal;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns a SessionKit builder's refusal into Boot's startup failure that names the property, its
 * value and the builder's reason (Boot's failure analyzer prints all three).
 */
public final class Settings {
  private Settings() {}

  /**
   * Runs one builder step for one property.
   *
   * @param property the property's full name, e.g. {@code sessionkit.login.max-sessions}
   * @param value the bound value, as the user wrote it where possible
   * @param step the builder call
   * @param <T> what the step returns
   * @return what the step returned
   * @throws InvalidConfigurationPropertyValueException if the step threw IllegalArgumentException
   */
  public static <T> T apply(String property, @Nullable Object value, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }

  /**
   * Fails startup for a value outside its range.
   *
   * @param property the property's full name
   * @param value the bad value
   * @param reason what is allowed
   * @return never returns
   */
  public static InvalidConfigurationPropertyValueException invalid(
      String property, @Nullable Object value, String reason) {
    return new InvalidConfigurationPropertyValueException(property, value, reason);
  }
}
