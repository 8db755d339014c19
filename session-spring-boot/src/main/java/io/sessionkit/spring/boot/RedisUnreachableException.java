package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionException;
import org.jspecify.annotations.Nullable;

/**
 * Startup failed because Redis could not be reached (and {@code sessionkit.redis.lazy-connect} is
 * off). The message names the URI, with any password masked; Boot's failure report adds what to
 * change.
 */
public final class RedisUnreachableException extends SessionException {
  private static final long serialVersionUID = 1L;

  /** Where SessionKit tried to connect, password masked. */
  private final String maskedUri;

  /**
   * Creates the exception.
   *
   * @param maskedUri where SessionKit tried to connect, password masked
   * @param message what happened
   * @param cause the connection failure
   */
  public RedisUnreachableException(String maskedUri, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.maskedUri = maskedUri;
  }

  /**
   * @return where SessionKit tried to connect, password masked
   */
  public String maskedUri() {
    return maskedUri;
  }
}
