package io.sessionkit.core;

/**
 * Turns attribute values into the strings a store keeps, and back. SessionKit never uses Java
 * serialization; the default, {@link JsonAttributeCodec}, writes JSON and instantiates only types
 * on an allowlist the application configures.
 *
 * <p>Implementations must be thread-safe and must never instantiate a type that the application did
 * not allow.
 */
public interface AttributeCodec {
  /**
   * Encodes one attribute value.
   *
   * @param name the attribute name, for error messages
   * @param value the value
   * @return the encoded value
   * @throws AttributeEncodingException if the value's type is not allowed or cannot be encoded;
   *     the message names the attribute and the type, never the value
   */
  String encode(String name, Object value);

  /**
   * Decodes one attribute value.
   *
   * @param name the attribute name, for error messages
   * @param encoded a value produced by {@link #encode}
   * @return the value
   * @throws AttributeDecodingException if the value is not of this codec's format or names a type
   *     that is not allowed
   */
  Object decode(String name, String encoded);
}
