package io.sessionkit.core;

import org.jspecify.annotations.Nullable;

/**
 * The root of the few unchecked exceptions SessionKit throws for conditions that are not programmer
 * errors. Programmer misuse (a null argument, a negative timeout) throws the usual JDK exceptions
 * instead. Errors of the underlying libraries (Lettuce, Jackson) are translated into this family in
 * one place and never leak to callers.
 */
public class SessionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, never containing a session id or token
   * @param cause the underlying failure, if any
   */
  public SessionException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception without a cause.
   *
   * @param message what went wrong, never containing a session id or token
   */
  public SessionException(String message) {
    super(message);
  }
}
