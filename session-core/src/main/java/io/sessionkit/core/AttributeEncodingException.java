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
   * An exception whose message names the attribute and the value's type, never the value: {@code
   * attribute 'cart' of type com.example.Cart <what>}.
   *
   * @param attributeName the attribute that could not be encoded
   * @param type the value's type
   * @param what what went wrong, after the type
   * @param cause the underlying failure, if any
   * @return the exception
   */
  public static AttributeEncodingException of(
      String attributeName, Class<?> type, String what, @Nullable Throwable cause) {
    return new AttributeEncodingException(
        attributeName,
        "attribute '" + attributeName + "' of type " + type.getName() + " " + what,
        cause);
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
