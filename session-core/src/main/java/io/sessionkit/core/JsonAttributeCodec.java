package io.sessionkit.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * <p><b>What it encodes.</b>
 * <ul>
 *   <li>{@code String}, {@code Boolean}, {@code Integer} and {@code Double} as bare JSON values.
 *   <li>{@code Long}, {@code Short}, {@code Byte}, {@code Float}, {@code Character},
 *       {@code BigDecimal}, {@code BigInteger}, {@code UUID} and {@code Instant} as a small typed
 *       wrapper {@code {"@t":"long","v":5}}, so that they decode to the same Java type.
 *   <li>{@code List}, {@code Set} and {@code Map} with string keys whose contents are themselves
 *       plain JSON values (strings, booleans, numbers, lists, maps, null). They decode as
 *       {@code ArrayList}, {@code LinkedHashSet} and {@code LinkedHashMap}; numbers inside them
 *       decode as Jackson reads them ({@code Integer}, {@code Long} or {@code Double}).
 *   <li>Application types (records, beans) only if {@link Builder#allowType(String, Class)
 *       allowed}, as {@code {"@t":"alias","v":{...}}}. Decoding instantiates only allowed types,
 *       looked up by alias, never by a class name read from the store.
 * </ul>
 * Anything else fails at write time with an {@link AttributeEncodingException} that names the
 * attribute and the type.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * record Cart(List<String> items) {}
 * AttributeCodec codec = JsonAttributeCodec.builder().allowType("cart", Cart.class).build();
 * }</pre>
 */
public final class JsonAttributeCodec implements AttributeCodec {
  private static final String TYPE = "@t";
  private static final String VALUE = "v";
  private static final JsonAttributeCodec DEFAULTS = builder().build();

  private final ObjectMapper mapper;
  private final Map<String, Class<?>> typesByAlias;
  private final Map<Class<?>, String> aliasesByType;

  private JsonAttributeCodec(Builder b) {
    this.typesByAlias = Map.copyOf(b.typesByAlias);
    Map<Class<?>, String> inverse = new LinkedHashMap<>();
    b.typesByAlias.forEach((alias, type) -> inverse.put(type, alias));
    this.aliasesByType = Map.copyOf(inverse);
    this.mapper =
        JsonMapper.builder()
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
    return typesByAlias;
  }

  @Override
  public String encode(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    try {
      return mapper.writeValueAsString(toNode(name, value));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new AttributeEncodingException(
          name,
          "attribute '" + name + "' of type " + value.getClass().getName() + " could not be encoded as JSON: "
              + e.getClass().getSimpleName(),
          e);
    }
  }

  private JsonNode toNode(String name, Object value) {
    JsonNodeFactory f = mapper.getNodeFactory();
    if (value instanceof String s) {
      return f.textNode(s);
    } else if (value instanceof Boolean b) {
      return f.booleanNode(b);
    } else if (value instanceof Integer i) {
      return f.numberNode(i);
    } else if (value instanceof Double d) {
      return f.numberNode(d);
    } else if (value instanceof Long l) {
      return typed("long", f.numberNode(l));
    } else if (value instanceof Short s) {
      return typed("short", f.numberNode(s));
    } else if (value instanceof Byte b) {
      return typed("byte", f.numberNode(b));
    } else if (value instanceof Float fl) {
      return typed("float", f.numberNode(fl));
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
      return typed("set", plain(name, set));
    } else if (value instanceof Map<?, ?> map) {
      JsonNode node = plain(name, map);
      return map.containsKey(TYPE) ? typed("map", node) : node;
    } else if (value instanceof Collection<?> c) {
      return plain(name, c);
    }
    String alias = aliasesByType.get(value.getClass());
    if (alias == null) {
      throw new AttributeEncodingException(
          name,
          "attribute '" + name + "' has type " + value.getClass().getName()
              + ", which is not allowed; allow it with JsonAttributeCodec.builder().allowType(alias, type)",
          null);
    }
    return typed(alias, mapper.valueToTree(value));
  }

  private JsonNode plain(String name, @Nullable Object value) {
    JsonNodeFactory f = mapper.getNodeFactory();
    if (value == null) {
      return f.nullNode();
    } else if (value instanceof String || value instanceof Boolean || value instanceof Number) {
      return mapper.valueToTree(value);
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode o = f.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new AttributeEncodingException(
              name, "attribute '" + name + "' is a map with a key that is not a String", null);
        }
        o.set(key, plain(name, e.getValue()));
      }
      return o;
    } else if (value instanceof Collection<?> c) {
      var a = f.arrayNode();
      for (Object element : c) {
        a.add(plain(name, element));
      }
      return a;
    }
    throw new AttributeEncodingException(
        name,
        "attribute '" + name + "' holds a " + value.getClass().getName()
            + " inside a collection; collections may hold only strings, booleans, numbers, lists and"
            + " maps (wrap the data in an allowed record type instead)",
        null);
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
          name, "attribute '" + name + "' is not JSON written by this codec", e);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw new AttributeDecodingException(name, "attribute '" + name + "' is empty", null);
    }
    try {
      JsonNode type = node.isObject() ? node.get(TYPE) : null;
      if (type == null) {
        return mapper.treeToValue(node, Object.class);
      }
      return fromTyped(name, type.asText(), node.get(VALUE));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new AttributeDecodingException(
          name, "attribute '" + name + "' could not be decoded: " + e.getClass().getSimpleName(), e);
    }
  }

  private Object fromTyped(String name, String alias, @Nullable JsonNode v) throws JsonProcessingException {
    if (v == null) {
      throw new AttributeDecodingException(name, "attribute '" + name + "' has a type but no value", null);
    }
    switch (alias) {
      case "long": return v.asLong();
      case "short": return (short) v.asInt();
      case "byte": return (byte) v.asInt();
      case "float": return (float) v.asDouble();
      case "char": {
        String s = v.asText();
        if (s.length() != 1) {
          throw new AttributeDecodingException(name, "attribute '" + name + "' is not one character", null);
        }
        return s.charAt(0);
      }
      case "decimal": return new BigDecimal(v.asText());
      case "bigint": return new BigInteger(v.asText());
      case "uuid": return UUID.fromString(v.asText());
      case "instant": return Instant.parse(v.asText());
      case "set": return new LinkedHashSet<Object>(toList(v));
      case "map": return mapper.treeToValue(v, LinkedHashMap.class);
      default:
        Class<?> type = typesByAlias.get(alias);
        if (type == null) {
          throw new AttributeDecodingException(
              name,
              "attribute '" + name + "' names type alias '" + printable(alias)
                  + "', which is not on the allowlist",
              null);
        }
        return mapper.treeToValue(v, type);
    }
  }

  private List<Object> toList(JsonNode array) throws JsonProcessingException {
    List<Object> out = new ArrayList<>();
    for (JsonNode element : array) {
      out.add(mapper.treeToValue(element, Object.class));
    }
    return out;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 64; i++) {
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

  /** Builds a {@link JsonAttributeCodec}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private static final Set<String> RESERVED =
        Set.of("long", "short", "byte", "float", "char", "decimal", "bigint", "uuid", "instant", "set", "map");

    private final Map<String, Class<?>> typesByAlias = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Allows an application type under an alias. The alias, not the class name, is what the store
     * holds, so classes can be renamed without breaking stored sessions.
     *
     * @param alias a short name, 1 to 64 characters of {@code [A-Za-z0-9._-]}, not one of the
     *     built-in aliases
     * @param type a record or bean Jackson can bind
     * @return this builder
     * @throws IllegalArgumentException if the alias is malformed, reserved or already used, or the
     *     type is an interface, abstract, or already allowed
     */
    public Builder allowType(String alias, Class<?> type) {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(type, "type");
      if (!alias.matches("[A-Za-z0-9._-]{1,64}")) {
        throw new IllegalArgumentException("type alias must be 1 to 64 characters of [A-Za-z0-9._-], was '"
            + alias + "'");
      }
      if (RESERVED.contains(alias)) {
        throw new IllegalArgumentException("type alias '" + alias + "' is reserved for a built-in type");
      }
      if (typesByAlias.containsKey(alias)) {
        throw new IllegalArgumentException("type alias '" + alias + "' is already used by "
            + typesByAlias.get(alias).getName());
      }
      if (typesByAlias.containsValue(type)) {
        throw new IllegalArgumentException("type " + type.getName() + " is already allowed");
      }
      if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers()) || type.isPrimitive()
          || type.isArray()) {
        throw new IllegalArgumentException("type " + type.getName()
            + " must be a concrete class (a record or a bean), not an interface, abstract class, array or primitive");
      }
      typesByAlias.put(alias, type);
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
