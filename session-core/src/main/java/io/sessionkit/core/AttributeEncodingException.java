package io.sessionkit.core;

import org.jspecify.annotations.Nullable;

/**
 * An attribute value could not be encoded to JSON, or its type is not on the codec's allowlist.
 * Thrown at write time; nothing of the write was stored. The message names the attribute and the
 * value's type, never the value.
 */
public class AttributeEncodingException extends SessionException {
  private static final long serialVersionUID = 1L;

  /** The attribute that could not be handled. */
  private final String attributeName;

  /**
   * Creates an exception.
   *
   * @param attributeName the attribute that could not be encoded
   * @param message what went wrong
   * @param cause the underlying failure, if any
   */
  public AttributeEncodingException(
      String attributeName, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.attributeName = attributeName;
  }

  /**
   * The attribute that could not be encoded.
   *
   * @return its name
   */
  public String attributeName() {
    return attributeName;
  }
}
