package io.sessionkit.redis.internal;

import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.AttributeDecodingException;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The codec one session snapshot decodes with: the configured codec, which reports every stored
 * value it refuses (not its format, or a type outside the allowlist) to the listeners as {@code
 * attributeRejected} before the refusal reaches the caller. Nothing is instantiated from a refused
 * value: the configured codec decides that.
 */
public final class ReportingCodec implements AttributeCodec {
  private final AttributeCodec codec;
  private final Events events;
  private final String handle;
  private final @Nullable String userId;
  private final Clock clock;

  public ReportingCodec(
      AttributeCodec codec, Events events, String handle, @Nullable String userId, Clock clock) {
    this.codec = codec;
    this.events = events;
    this.handle = handle;
    this.userId = userId;
    this.clock = clock;
  }

  @Override
  public String encode(String name, Object value) {
    return codec.encode(name, value);
  }

  @Override
  public Object decode(String name, String encoded) {
    try {
      return codec.decode(name, encoded);
    } catch (AttributeDecodingException e) {
      events.attributeRejected(handle, userId, Instant.ofEpochMilli(clock.millis()), name);
      throw e;
    }
  }

  @Override
  public String toString() {
    return codec.toString();
  }
}
