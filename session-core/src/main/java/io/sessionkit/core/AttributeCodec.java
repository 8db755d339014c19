package io.sessionkit.core;

/**
 * Turns attribute values into the strings a store keeps, and back: the extension point for the
 * format of attribute values. SessionKit never uses Java serialization; the default, {@link
 * JsonAttributeCodec}, writes JSON through Jackson 2 and instantiates only types on an allowlist
 * the application configures. Another implementation (for example one on Jackson 3 for Spring
 * Security's types) is set with {@link SessionConfig.Builder#codec(AttributeCodec)}; it may also
 * keep {@link JsonAttributeCodec}'s format and plug only its own types in, through {@link
 * JsonAttributeCodec.Builder#allowType(String, Class, JsonAttributeCodec.JsonBinding)}.
 *
 * <p><b>Contract</b> (what every store and the servlet layer rely on):
 *
 * <ul>
 *   <li><b>Round trip.</b> For every value {@code v} that {@link #encode} accepts, {@code
 *       decode(name, encode(name, v))} returns a value equal to {@code v} and of the same type (a
 *       codec may document a fixed stand-in for interface types, as {@code ArrayList} for any
 *       {@code List}). A value that could not come back that way must be refused by {@code encode},
 *       not discovered when it is read.
 *   <li><b>Errors.</b> {@code encode} reports a refusal only as {@link AttributeEncodingException}
 *       and {@code decode} only as {@link AttributeDecodingException}, naming the attribute and the
 *       type and the root cause, never the value. A store wraps any other exception an {@code
 *       encode} throws as an {@link AttributeEncodingException} (and writes nothing), and never
 *       lets an {@link Error} of the codec's own recursion escape as such: a codec bounds its
 *       nesting depth itself.
 *   <li><b>Text.</b> The encoded string is valid Unicode (no unpaired surrogate), so that a UTF-8
 *       store keeps it unchanged; stores refuse a write whose encoding is not.
 *   <li><b>Safety.</b> {@code decode} never instantiates a type the application did not allow,
 *       whatever the stored string says (it may have been planted in the store).
 *   <li><b>Threads.</b> Implementations are thread-safe; {@code equals} is value equality of
 *       configuration, so that {@link SessionConfig#equals} means the same behaviour.
 * </ul>
 */
public interface AttributeCodec {
  /**
   * Encodes one attribute value.
   *
   * @param name the attribute name, for error messages
   * @param value the value, not null
   * @return the encoded value, valid Unicode
   * @throws AttributeEncodingException if the value's type is not allowed, cannot be encoded, or
   *     would not decode to an equal value of the same type; the message names the attribute and
   *     the type, never the value
   */
  String encode(String name, Object value);

  /**
   * Decodes one attribute value.
   *
   * @param name the attribute name, for error messages
   * @param encoded a value produced by {@link #encode}, or anything else found in the store
   * @return the value, not null
   * @throws AttributeDecodingException if the value is not of this codec's format, names a type
   *     that is not allowed, or cannot be read; the message names the attribute, the type where
   *     known, and the root cause
   */
  Object decode(String name, String encoded);
}
