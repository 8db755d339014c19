package io.sessionkit.spring.security.internal;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.AuthenticationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.WritableTypeId;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.deser.Deserializers;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.Serializers;

/**
 * Stores an {@link AuthenticationException} as its class and message only. Spring Security's login
 * failure handler keeps the last one in the session ({@code SPRING_SECURITY_LAST_EXCEPTION}), and
 * Spring Security's own modules read back only {@code BadCredentialsException}: a refused login
 * ({@code SessionAuthenticationException}, {@code LockedException}, ...) would otherwise fail to
 * store. No stack trace and no cause is kept (they are large, and say more about the server than a
 * session should). Read back through the class's {@code (String)} constructor.
 */
public final class AuthenticationExceptions extends SimpleModule {
  private static final long serialVersionUID = 1L;

  /** Creates the module. */
  public AuthenticationExceptions() {
    super(AuthenticationExceptions.class.getName());
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    context.addSerializers(
        new Serializers.Base() {
          @Override
          public @Nullable ValueSerializer<?> findSerializer(
              SerializationConfig config,
              JavaType type,
              BeanDescription.Supplier beanDescRef,
              JsonFormat.Value formatOverrides) {
            return AuthenticationException.class.isAssignableFrom(type.getRawClass())
                ? new Writer()
                : null;
          }
        });
    context.addDeserializers(
        new Deserializers.Base() {
          @Override
          public @Nullable ValueDeserializer<?> findBeanDeserializer(
              JavaType type, DeserializationConfig config, BeanDescription.Supplier beanDescRef) {
            Class<?> raw = type.getRawClass();
            return hasDeserializerFor(config, raw) ? new Reader(raw) : null;
          }

          @Override
          public boolean hasDeserializerFor(DeserializationConfig config, Class<?> valueType) {
            return AuthenticationException.class.isAssignableFrom(valueType)
                && !Modifier.isAbstract(valueType.getModifiers());
          }
        });
  }

  private static final class Writer extends ValueSerializer<AuthenticationException> {
    @Override
    public void serialize(
        AuthenticationException value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeStartObject(value);
      writeMessage(value, gen);
      gen.writeEndObject();
    }

    @Override
    public void serializeWithType(
        AuthenticationException value,
        JsonGenerator gen,
        SerializationContext ctxt,
        TypeSerializer typeSer) {
      WritableTypeId id =
          typeSer.writeTypePrefix(gen, ctxt, typeSer.typeId(value, JsonToken.START_OBJECT));
      writeMessage(value, gen);
      typeSer.writeTypeSuffix(gen, ctxt, id);
    }

    private static void writeMessage(AuthenticationException value, JsonGenerator gen) {
      gen.writeName("message");
      String message = value.getMessage();
      if (message == null) {
        gen.writeNull();
      } else {
        gen.writeString(message);
      }
    }
  }

  private static final class Reader extends ValueDeserializer<Object> {
    private final Class<?> type;

    Reader(Class<?> type) {
      this.type = type;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws JacksonException {
      String message = null;
      JsonToken t = p.currentToken();
      if (t == JsonToken.START_OBJECT) {
        t = p.nextToken();
      }
      for (; t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
        String name = p.currentName();
        p.nextToken();
        if ("message".equals(name)) {
          message = p.getValueAsString();
        } else {
          p.skipChildren();
        }
      }
      try {
        return type.getConstructor(String.class).newInstance(message);
      } catch (NoSuchMethodException
          | InstantiationException
          | IllegalAccessException
          | InvocationTargetException e) {
        throw ctxt.instantiationException(type, e);
      }
    }
  }
}
