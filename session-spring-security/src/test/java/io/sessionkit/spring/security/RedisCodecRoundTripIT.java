package io.sessionkit.spring.security;

import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link CodecRoundTripSuite} through a real Redis: what one server writes, another reads. */
class RedisCodecRoundTripIT extends CodecRoundTripSuite {
  private static RedisServer redis;
  private static RedisSessionStore writer;
  private static RedisSessionStore reader;

  @BeforeAll
  static void start() {
    redis = RedisServers.standalone();
    redis.flushAll();
    SessionConfig config = SessionConfig.builder().codec(CODEC).build();
    writer = RedisSessionStore.create(RedisOptions.fromUri(redis.uri()), config);
    // A second store with its own connection and its own codec instance, as on another server.
    reader =
        RedisSessionStore.create(
            RedisOptions.fromUri(redis.uri()),
            SessionConfig.builder().codec(SpringSecurityAttributeCodec.defaults()).build());
  }

  @AfterAll
  static void stop() {
    writer.close();
    reader.close();
    redis.close();
  }

  @Override
  SessionStore store() {
    return writer;
  }

  @Override
  SessionStore readerStore() {
    return reader;
  }
}
