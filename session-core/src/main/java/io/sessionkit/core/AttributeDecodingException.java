package io.sessionkit.core;

import org.jspecify.annotations.Nullable;

/**
 * A stored attribute could not be decoded: it is not JSON written by this codec (for example a
 * Java-serialized blob planted in the store), or it names a type that is not on the allowlist.
 * Nothing is instantiated from such a value.
 */
public class AttributeDecodingException extends SessionException {
  private static final long serialVersionUID = 1L;

  /** The attribute that could not be handled. */
  private final String attributeName;

  /**
   * Creates an exception.
   *
   * @param attributeName the attribute that could not be decoded
   * @param message what went wrong
   * @param cause the underlying failure, if any
   */
  public AttributeDecodingException(
      String attributeName, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.attributeName = attributeName;
  }

  /**
   * An exception whose message names the attribute and the value's type, never the value: {@code
   * attribute 'cart' of type com.example.Cart <what>}.
   *
   * @param attributeName the attribute that could not be decoded
   * @param type the value's type
   * @param what what went wrong, after the type
   * @param cause the underlying failure, if any
   * @return the exception
   */
  public static AttributeDecodingException of(
      String attributeName, Class<?> type, String what, @Nullable Throwable cause) {
    return new AttributeDecodingException(
        attributeName,
        "attribute '" + attributeName + "' of type " + type.getName() + " " + what,
        cause);
  }

  /**
   * The attribute that could not be decoded.
   *
   * @return its name
   */
  public String attributeName() {
    return attributeName;
  }
}
