package io.sessionkit.core;

import org.jspecify.annotations.Nullable;

/**
 * The backing store (Redis) could not be reached or did not answer within the command timeout.
 *
 * <p>Callers must fail closed: a request whose session or token cannot be checked is not
 * authenticated. The servlet filters answer 503. The store recovers by itself once the backend is
 * back; no restart is needed.
 */
public class StoreUnavailableException extends SessionException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what failed, never containing a session id or token
   * @param cause the underlying failure, if any
   */
  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
