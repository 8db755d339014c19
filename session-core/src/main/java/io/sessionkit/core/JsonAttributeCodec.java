package io.sessionkit.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link AttributeCodec}: JSON through Jackson, with no Java serialization and no
 * Jackson default typing.
 *
 * <p><b>Round trip.</b> A value this codec accepts decodes to a value equal to it and of the same
 * type, at any depth (a {@code Long} inside a list stays a {@code Long}); a value it cannot give
 * back that way is refused at {@link #encode} with an {@link AttributeEncodingException} naming the
 * attribute and why. In detail:
 *
 * <ul>
 *   <li>{@code String}, {@code Boolean}, {@code Integer} and finite {@code Double} are written as
 *       bare JSON values.
 *   <li>{@code Long}, {@code Short}, {@code Byte}, {@code Float}, {@code Character}, {@code
 *       BigDecimal} (scale kept), {@code BigInteger}, {@code UUID}, {@code Instant}, and a {@code
 *       Double} that is NaN or infinite, as a small typed wrapper {@code {"@t":"long","v":5}}, so
 *       that they decode to the same Java type.
 *   <li>Any {@code List} decodes as an {@code ArrayList}, any {@code Set} as a {@code
 *       LinkedHashSet} and any {@code Map} with {@code String} keys as a {@code LinkedHashMap},
 *       each equal to the original ({@link List#equals}, {@link Set#equals}, {@link Map#equals})
 *       with its iteration order kept; their elements and values may be anything this codec
 *       accepts, including null and allowed application types. Another kind of {@code Collection}
 *       (an {@code ArrayDeque}, a {@code Queue}) is refused: it would come back as another kind,
 *       not equal to it; store it as a {@code List}.
 *   <li>Application types (records, beans) only if {@link Builder#allowType(String, Class)
 *       allowed}, as {@code {"@t":"alias","v":{...}}}. Decoding instantiates only allowed types,
 *       looked up by alias, never by a class name read from the store. Each write of such a value
 *       is checked by reading it back at once: a type that cannot be read back (no creator, a
 *       property of an abstract type) or that reads back as another type is refused, and so is a
 *       value of a type that overrides {@code equals} (every record) that reads back unequal (a
 *       property declared {@code Object} or {@code Number} loses its exact type in JSON).
 *   <li>Values nested deeper than {@value #MAX_DEPTH} levels, and a collection that contains
 *       itself, are refused; so is text holding an unpaired surrogate (it is not Unicode, and no
 *       UTF-8 store can keep it).
 * </ul>
 *
 * <p>Decoding failures ({@link AttributeDecodingException}) name the attribute, the type alias and
 * class where known, and the root cause (its exception type, and for a mapping problem the property
 * path), never the stored value.
 *
 * <p><b>Other JSON libraries.</b> {@link Builder#allowType(String, Class, JsonBinding)} lets an
 * application type be written and read by another JSON library (for example Jackson 3 with Spring
 * Security's modules) while this codec keeps the envelope, the built-in types, the allowlist, the
 * depth bound and the write-time round-trip check.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * record Cart(List<String> items) {}
 * AttributeCodec codec = JsonAttributeCodec.builder().allowType("cart", Cart.class).build();
 * }</pre>
 */
public final class JsonAttributeCodec implements AttributeCodec {
  /** How deeply values may nest (a list in a map in a list is 3 levels): {@value}. */
  public static final int MAX_DEPTH = 64;

  private static final String TYPE = "@t";
  private static final String VALUE = "v";
  private static final JsonAttributeCodec DEFAULTS = builder().build();

  private final ObjectMapper mapper;
  private final Map<String, Allowed> typesByAlias;
  private final Map<Class<?>, Allowed> allowedByType;

  private JsonAttributeCodec(Builder b) {
    this.typesByAlias = Map.copyOf(b.typesByAlias);
    Map<Class<?>, Allowed> inverse = new LinkedHashMap<>();
    b.typesByAlias.values().forEach(a -> inverse.put(a.type, a));
    this.allowedByType = Map.copyOf(inverse);
    // Typed wrappers double the JSON depth of a value; application types add their own levels.
    int jsonDepth = 2 * MAX_DEPTH + 8;
    this.mapper =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(jsonDepth).build())
                    .streamWriteConstraints(
                        StreamWriteConstraints.builder().maxNestingDepth(jsonDepth).build())
                    .build())
            .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
  }

  /**
   * The codec with no application types allowed.
   *
   * @return the shared default codec
   */
  public static JsonAttributeCodec defaults() {
    return DEFAULTS;
  }

  /**
   * A builder with no application types allowed.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this codec's allowlist.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.typesByAlias.putAll(typesByAlias);
    return b;
  }

  /**
   * The allowed application types.
   *
   * @return alias to type, unmodifiable
   */
  public Map<String, Class<?>> allowedTypes() {
    Map<String, Class<?>> out = new LinkedHashMap<>();
    typesByAlias.forEach((alias, a) -> out.put(alias, a.type));
    return Map.copyOf(out);
  }

  @Override
  public String encode(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    String json;
    try {
      json = mapper.writeValueAsString(toNode(name, value, 1));
    } catch (AttributeEncodingException e) {
      throw e;
    } catch (JsonProcessingException | RuntimeException e) {
      // RuntimeException: the value's own code (getters, equals, a binding) failed while encoding.
      throw AttributeEncodingException.of(
          name, value.getClass(), "could not be encoded as JSON: " + rootCause(e), e);
    }
    int bad = unpairedSurrogateAt(json);
    if (bad >= 0) {
      throw AttributeEncodingException.of(
          name,
          value.getClass(),
          "holds text with an unpaired surrogate, which is not Unicode and which no UTF-8 store can keep",
          null);
    }
    return json;
  }

  private JsonNode toNode(String name, @Nullable Object value, int depth)
      throws JsonProcessingException {
    JsonNodeFactory f = mapper.getNodeFactory();
    if (depth > MAX_DEPTH) {
      throw new AttributeEncodingException(
          name,
          "attribute '" + name + "' nests deeper than " + MAX_DEPTH + " levels, or contains itself",
          null);
    }
    if (value == null) {
      // Only inside a collection: a top-level null is refused by encode.
      return f.nullNode();
    } else if (value instanceof String s) {
      return f.textNode(s);
    } else if (value instanceof Boolean b) {
      return f.booleanNode(b);
    } else if (value instanceof Integer i) {
      return f.numberNode(i);
    } else if (value instanceof Double d) {
      // JSON has no NaN or infinity: those travel as text in a wrapper and come back as Doubles.
      return Double.isFinite(d) ? f.numberNode(d) : typed("double", f.textNode(d.toString()));
    } else if (value instanceof Long l) {
      return typed("long", f.numberNode(l));
    } else if (value instanceof Short s) {
      return typed("short", f.numberNode(s));
    } else if (value instanceof Byte b) {
      return typed("byte", f.numberNode(b));
    } else if (value instanceof Float fl) {
      // As text: Float.toString is exact for a float, and covers NaN and the infinities.
      return typed("float", f.textNode(fl.toString()));
    } else if (value instanceof Character c) {
      return typed("char", f.textNode(c.toString()));
    } else if (value instanceof BigDecimal bd) {
      return typed("decimal", f.textNode(bd.toString()));
    } else if (value instanceof BigInteger bi) {
      return typed("bigint", f.textNode(bi.toString()));
    } else if (value instanceof UUID u) {
      return typed("uuid", f.textNode(u.toString()));
    } else if (value instanceof Instant in) {
      return typed("instant", f.textNode(in.toString()));
    } else if (value instanceof Set<?> set) {
      return typed("set", array(name, set, depth));
    } else if (value instanceof List<?> list) {
      return array(name, list, depth);
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode o = f.objectNode();
      boolean holdsTypeKey = false;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new AttributeEncodingException(
              name, "attribute '" + name + "' holds a map with a key that is not a String", null);
        }
        holdsTypeKey |= key.equals(TYPE);
        o.set(key, toNode(name, e.getValue(), depth + 1));
      }
      return holdsTypeKey ? typed("map", o) : o;
    } else if (value instanceof Collection<?>) {
      throw new AttributeEncodingException(
          name,
          "attribute '"
              + name
              + "' holds a "
              + value.getClass().getName()
              + ", a collection that is neither a List nor a Set; it would not read back as the same kind of"
              + " collection: store it as a List",
          null);
    }
    Allowed allowed = allowedByType.get(value.getClass());
    if (allowed == null) {
      throw new AttributeEncodingException(
          name,
          "attribute '"
              + name
              + "' "
              + (depth == 1 ? "has" : "holds a value of")
              + " type "
              + value.getClass().getName()
              + ", which is not allowed; allow it with JsonAttributeCodec.builder().allowType(alias, type)",
          null);
    }
    return typed(allowed.alias, checkedRoundTrip(name, allowed, value));
  }

  private ArrayNode array(String name, Collection<?> elements, int depth)
      throws JsonProcessingException {
    ArrayNode a = mapper.getNodeFactory().arrayNode(elements.size());
    for (Object element : elements) {
      a.add(toNode(name, element, depth + 1));
    }
    return a;
  }

  /**
   * Writes an application value and reads it back at once, so that what cannot come back is refused
   * now.
   */
  private JsonNode checkedRoundTrip(String name, Allowed allowed, Object value)
      throws JsonProcessingException {
    JsonNode body = allowed.write(mapper, value);
    Object back;
    try {
      // Through text, as the store will hold it: a tree still knows a Long was a Long, JSON does
      // not.
      back = allowed.read(mapper, mapper.readTree(mapper.writeValueAsString(body)));
    } catch (JsonProcessingException | RuntimeException e) {
      throw AttributeEncodingException.of(
          name,
          allowed.type,
          "(alias '"
              + allowed.alias
              + "') can be written but not read back: "
              + rootCause(e)
              + "; give the type a creator (a record, or a constructor annotated @JsonCreator) and concrete"
              + " property types",
          e);
    }
    if (back == null || back.getClass() != value.getClass()) {
      throw AttributeEncodingException.of(
          name,
          allowed.type,
          "reads back as " + (back == null ? "null" : back.getClass().getName()),
          null);
    }
    if (allowed.comparable && !value.equals(back)) {
      throw AttributeEncodingException.of(
          name,
          allowed.type,
          "reads back unequal to what was written; a property declared as a general type (Object,"
              + " Number, an interface) loses its exact type in JSON",
          null);
    }
    return body;
  }

  private JsonNode typed(String alias, JsonNode value) {
    ObjectNode o = mapper.getNodeFactory().objectNode();
    o.put(TYPE, alias);
    o.set(VALUE, value);
    return o;
  }

  @Override
  public Object decode(String name, String encoded) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(encoded, "encoded");
    JsonNode node;
    try {
      node = mapper.readTree(encoded);
    } catch (JsonProcessingException e) {
      throw new AttributeDecodingException(
          name, "attribute '" + name + "' is not JSON written by this codec: " + rootCause(e), e);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new AttributeDecodingException(name, "attribute '" + name + "' is empty", null);
    }
    Object value = fromNode(name, node);
    return Objects.requireNonNull(value);
  }

  private @Nullable Object fromNode(String name, JsonNode node) {
    if (node.isNull()) {
      return null;
    } else if (node.isTextual()) {
      return node.textValue();
    } else if (node.isBoolean()) {
      return node.booleanValue();
    } else if (node.isInt()) {
      return node.intValue();
    } else if (node.isLong()) {
      // Not written by this codec (a Long is wrapped); kept for values stored by earlier versions.
      return node.longValue();
    } else if (node.isBigInteger()) {
      return node.bigIntegerValue();
    } else if (node.isNumber()) {
      return node.doubleValue();
    } else if (node.isArray()) {
      return elements(name, node);
    } else if (node.isObject()) {
      JsonNode type = node.get(TYPE);
      return type == null ? entries(name, node) : fromTyped(name, type, node.get(VALUE));
    }
    throw new AttributeDecodingException(
        name,
        "attribute '" + name + "' holds a JSON " + node.getNodeType() + " this codec never writes",
        null);
  }

  private List<Object> elements(String name, JsonNode array) {
    List<Object> out = new ArrayList<>(array.size());
    for (JsonNode element : array) {
      out.add(fromNode(name, element));
    }
    return out;
  }

  private Map<String, Object> entries(String name, JsonNode object) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      out.put(e.getKey(), fromNode(name, e.getValue()));
    }
    return out;
  }

  private Object fromTyped(String name, JsonNode typeNode, @Nullable JsonNode v) {
    String alias = typeNode.asText();
    if (v == null || !typeNode.isTextual()) {
      throw new AttributeDecodingException(
          name,
          "attribute '"
              + name
              + "' has a malformed type wrapper (alias '"
              + printable(alias)
              + "')",
          null);
    }
    try {
      switch (alias) {
        case "long":
          return integral(name, alias, v).longValueExact();
        case "short":
          return integral(name, alias, v).shortValueExact();
        case "byte":
          return integral(name, alias, v).byteValueExact();
        case "float":
          return Float.parseFloat(v.asText());
        case "double":
          return Double.parseDouble(v.asText());
        case "char":
          {
            String s = v.asText();
            if (s.length() != 1) {
              throw new AttributeDecodingException(
                  name, "attribute '" + name + "' is not one character", null);
            }
            return s.charAt(0);
          }
        case "decimal":
          return new BigDecimal(v.asText());
        case "bigint":
          return new BigInteger(v.asText());
        case "uuid":
          return UUID.fromString(v.asText());
        case "instant":
          return Instant.parse(v.asText());
        case "set":
          requireArray(name, alias, v);
          return new LinkedHashSet<>(elements(name, v));
        case "map":
          if (!v.isObject()) {
            throw new AttributeDecodingException(
                name, "attribute '" + name + "' is a map wrapper without a map", null);
          }
          return entries(name, v);
        default:
          Allowed allowed = typesByAlias.get(alias);
          if (allowed == null) {
            throw new AttributeDecodingException(
                name,
                "attribute '"
                    + name
                    + "' names type alias '"
                    + printable(alias)
                    + "', which is not on the allowlist",
                null);
          }
          try {
            Object value = allowed.read(mapper, v);
            if (value == null) {
              throw AttributeDecodingException.of(
                  name, allowed.type, "(alias '" + alias + "') decoded to null", null);
            }
            return value;
          } catch (JsonProcessingException | RuntimeException e) {
            if (e instanceof AttributeDecodingException ade) {
              throw ade;
            }
            throw AttributeDecodingException.of(
                name,
                allowed.type,
                "(alias '" + alias + "') could not be decoded: " + rootCause(e),
                e);
          }
      }
    } catch (AttributeDecodingException e) {
      throw e;
    } catch (RuntimeException e) {
      // NumberFormatException, ArithmeticException, DateTimeParseException: a corrupt built-in
      // value.
      throw new AttributeDecodingException(
          name,
          "attribute '"
              + name
              + "' of built-in type '"
              + alias
              + "' could not be decoded: "
              + rootCause(e),
          e);
    }
  }

  private static BigInteger integral(String name, String alias, JsonNode v) {
    if (!v.isIntegralNumber()) {
      throw new AttributeDecodingException(
          name,
          "attribute '" + name + "' of built-in type '" + alias + "' is not an integer",
          null);
    }
    return v.bigIntegerValue();
  }

  private static void requireArray(String name, String alias, JsonNode v) {
    if (!v.isArray()) {
      throw new AttributeDecodingException(
          name, "attribute '" + name + "' of built-in type '" + alias + "' is not an array", null);
    }
  }

  /**
   * The innermost cause of a failure, as its type and, where it carries no stored data, its
   * message: a definition problem's message (which names types only) or a mapping problem's
   * property path.
   */
  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StringBuilder sb = new StringBuilder(root.getClass().getSimpleName());
    if (root instanceof InvalidDefinitionException
        || (root instanceof MismatchedInputException
            && !(root instanceof InvalidFormatException))) {
      // These name types and JSON token kinds, not the data: say why the type cannot be bound.
      sb.append(" (")
          .append(printable(((JsonMappingException) root).getOriginalMessage(), 300))
          .append(')');
    }
    if (root instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      sb.append(" at ").append(printable(m.getPathReference(), 200));
    } else if (root instanceof AttributeEncodingException
        || root instanceof AttributeDecodingException) {
      sb.append(" (").append(root.getMessage()).append(')');
    }
    return sb.toString();
  }

  /** The index of the first unpaired surrogate in a string, or -1. */
  static int unpairedSurrogateAt(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static String printable(String s) {
    return printable(s, 64);
  }

  private static String printable(@Nullable String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < max; i++) {
      char c = s.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof JsonAttributeCodec c && typesByAlias.equals(c.typesByAlias);
  }

  @Override
  public int hashCode() {
    return typesByAlias.hashCode();
  }

  @Override
  public String toString() {
    return "JsonAttributeCodec{allowed=" + typesByAlias.keySet() + '}';
  }

  /**
   * Writes values of one application type as JSON text and reads them back, with a JSON library of
   * the application's choice (for example a Jackson 3 {@code JsonMapper} with Spring Security's
   * modules). The codec puts the text in its typed wrapper, so the allowlist, the alias, the depth
   * bound and the write-time round-trip check apply as to any allowed type.
   *
   * <p>Implementations must be thread-safe, must produce one JSON value (an object, array, string,
   * number or boolean), and must never instantiate a type the application did not allow (for a
   * polymorphic mapper: an allowlisting type validator). Exceptions they throw are reported as
   * {@link AttributeEncodingException} or {@link AttributeDecodingException} naming the attribute.
   *
   * @param <T> the application type
   */
  public interface JsonBinding<T> {
    /**
     * Writes a value.
     *
     * @param value a value of the allowed type, never null
     * @return its JSON text
     * @throws Exception if it cannot be written
     */
    String toJson(T value) throws Exception;

    /**
     * Reads a value back.
     *
     * @param json text produced by {@link #toJson} (possibly reformatted: whitespace and number
     *     spelling may differ)
     * @return the value, of exactly the allowed type
     * @throws Exception if it cannot be read
     */
    T fromJson(String json) throws Exception;
  }

  /**
   * An allowed application type: its alias, and the binding that writes it (null: this codec's
   * mapper).
   */
  private static final class Allowed {
    final String alias;
    final Class<?> type;
    final @Nullable JsonBinding<Object> binding;

    /** Whether {@code equals} means value equality, so that the round trip can be checked on it. */
    final boolean comparable;

    @SuppressWarnings("unchecked")
    Allowed(String alias, Class<?> type, @Nullable JsonBinding<?> binding) {
      this.alias = alias;
      this.type = type;
      this.binding = (JsonBinding<Object>) binding;
      this.comparable = overridesEquals(type);
    }

    JsonNode write(ObjectMapper mapper, Object value) throws JsonProcessingException {
      if (binding == null) {
        return mapper.valueToTree(value);
      }
      String json;
      try {
        json = binding.toJson(value);
      } catch (RuntimeException | JsonProcessingException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
      return mapper.readTree(Objects.requireNonNull(json, "the binding wrote null"));
    }

    @Nullable Object read(ObjectMapper mapper, JsonNode body) throws JsonProcessingException {
      if (binding == null) {
        return mapper.treeToValue(body, type);
      }
      try {
        return binding.fromJson(mapper.writeValueAsString(body));
      } catch (RuntimeException | JsonProcessingException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
    }

    private static boolean overridesEquals(Class<?> type) {
      try {
        return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Allowed a
          && alias.equals(a.alias)
          && type == a.type
          && Objects.equals(binding, a.binding);
    }

    @Override
    public int hashCode() {
      return Objects.hash(alias, type, binding);
    }
  }

  /** Builds a {@link JsonAttributeCodec}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private static final Set<String> RESERVED =
        Set.of(
            "long", "short", "byte", "float", "double", "char", "decimal", "bigint", "uuid",
            "instant", "set", "map");

    private final Map<String, Allowed> typesByAlias = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Allows an application type under an alias. The alias, not the class name, is what the store
     * holds, so classes can be renamed without breaking stored sessions. Values are written and
     * read by this codec's Jackson mapper.
     *
     * @param alias a short name, 1 to 64 characters of {@code [A-Za-z0-9._-]}, not one of the
     *     built-in aliases
     * @param type a record or bean Jackson can bind
     * @return this builder
     * @throws IllegalArgumentException if the alias is malformed, reserved or already used, or the
     *     type is an interface, abstract, or already allowed
     */
    public Builder allowType(String alias, Class<?> type) {
      return add(alias, type, null);
    }

    /**
     * Allows an application type under an alias, written and read by a binding of the application's
     * choice (another JSON library); see {@link JsonBinding}.
     *
     * @param alias as for {@link #allowType(String, Class)}
     * @param type the concrete type; values of exactly this class use the binding
     * @param binding writes and reads values of the type
     * @param <T> the type
     * @return this builder
     * @throws IllegalArgumentException as for {@link #allowType(String, Class)}
     */
    public <T> Builder allowType(String alias, Class<T> type, JsonBinding<T> binding) {
      return add(alias, type, Objects.requireNonNull(binding, "binding"));
    }

    private Builder add(String alias, Class<?> type, @Nullable JsonBinding<?> binding) {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(type, "type");
      if (!alias.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException(
            "type alias must be 1 to 64 characters of [A-Za-z0-9._-], was '" + alias + "'");
      }
      if (RESERVED.contains(alias)) {
        throw new IllegalArgumentException(
            "type alias '" + alias + "' is reserved for a built-in type");
      }
      if (typesByAlias.containsKey(alias)) {
        throw new IllegalArgumentException(
            "type alias '"
                + alias
                + "' is already used by "
                + typesByAlias.get(alias).type.getName());
      }
      for (Allowed a : typesByAlias.values()) {
        if (a.type == type) {
          throw new IllegalArgumentException("type " + type.getName() + " is already allowed");
        }
      }
      if (type.isInterface()
          || Modifier.isAbstract(type.getModifiers())
          || type.isPrimitive()
          || type.isArray()) {
        throw new IllegalArgumentException(
            "type "
                + type.getName()
                + " must be a concrete class (a record or a bean), not an interface, abstract class, array or primitive");
      }
      typesByAlias.put(alias, new Allowed(alias, type, binding));
      return this;
    }

    /**
     * Allows an application type under its fully qualified class name.
     *
     * @param type a record or bean Jackson can bind
     * @return this builder
     */
    public Builder allowType(Class<?> type) {
      return allowType(type.getName().replace('$', '.'), type);
    }

    /**
     * Builds the codec.
     *
     * @return the codec
     */
    public JsonAttributeCodec build() {
      return new JsonAttributeCodec(this);
    }
  }
}
