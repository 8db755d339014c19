package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AttributeDecodingException;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionEvent;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionListener;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.redis.internal.Codec;
import io.sessionkit.redis.internal.Keys;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Redis holds is safe to hold and safe to read back (issue 7, item 5; checklist F32, F35,
 * I49): a JDK-serialized canary planted in a session is never deserialized; JSON naming a type
 * outside the allowlist is refused, with an {@code attributeRejected} event, and instantiates
 * nothing; raw session ids, token ids and refresh tokens never appear in any command sent to Redis,
 * in any key or value left there, or in the log output of a whole lifecycle; CR/LF in user ids are
 * escaped in the log.
 */
class StorageSafetyIT {
  private static RedisServer redis;
  private static CommandCounter commands;
  private static RedisConnector connector;
  private static final List<String> rejected = new CopyOnWriteArrayList<>();
  private static final Keys KEYS = new Keys(RedisOptions.DEFAULT_KEY_PREFIX);

  /**
   * Sets {@link #deserialized} if the JDK ever reads it back, and {@link #constructed} if anything
   * builds one.
   */
  public static final class Canary implements Serializable {
    private static final long serialVersionUID = 1L;
    static volatile boolean deserialized;
    static volatile boolean constructed;
    public String payload = "canary";

    public Canary() {
      constructed = true;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      deserialized = true;
    }
  }

  /** An application type the codec is told to allow. */
  public record Cart(List<String> items) {}

  @BeforeAll
  static void start() {
    redis = RedisServers.standalone();
    commands = new CommandCounter();
    connector = RedisConnector.connect(RedisOptions.fromUri(redis.uri()), List.of(commands));
  }

  @AfterAll
  static void stop() {
    connector.close();
    redis.close();
  }

  @BeforeEach
  void clean() {
    redis.flushAll();
    rejected.clear();
    Canary.deserialized = false;
    Canary.constructed = false;
  }

  private static RedisSessionStore store(SessionConfig.Builder config) {
    SessionListener listener =
        new SessionListener() {
          @Override
          public void attributeRejected(SessionEvent event, String attributeName) {
            rejected.add(event.handle() + " " + attributeName);
          }
        };
    return RedisSessionStore.create(connector, config.addListener(listener).build());
  }

  private static String sessionKey(Session s) {
    return KEYS.session(SessionIdGenerator.tagOf(s.id()), s.handle());
  }

  private static void plant(String key, String field, byte[] value) {
    RedisClient client = RedisClient.create(redis.uri());
    try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
      c.sync()
          .hset(
              key.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8), value);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aJdkSerializedCanaryPlantedInASessionIsNeverDeserialized() throws IOException {
    RedisSessionStore store = store(SessionConfig.builder());
    Session s = store.create(SessionChanges.builder().set("ok", "fine").build());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new Canary());
    }
    Canary.constructed = false;
    assertThat(bytes.toByteArray()[0]).isEqualTo((byte) 0xac); // the JDK stream magic
    plant(sessionKey(s), Codec.ATTRIBUTE + "canary", bytes.toByteArray());

    Session read = store.access(s.id()).session().orElseThrow();
    assertThat(read.attribute("ok")).contains("fine");
    assertThatThrownBy(() -> read.attribute("canary"))
        .isInstanceOf(AttributeDecodingException.class)
        .hasMessageContaining("canary");
    assertThat(Canary.deserialized).as("the canary's readObject ran").isFalse();
    assertThat(Canary.constructed).isFalse();
    assertThat(rejected).containsExactly(s.handle() + " canary");
  }

  @Test
  void jsonNamingATypeOutsideTheAllowlistIsRefusedWithAnEventAndInstantiatesNothing() {
    RedisSessionStore store =
        store(
            SessionConfig.builder()
                .codec(JsonAttributeCodec.builder().allowType("cart", Cart.class).build()));
    Session s =
        store.create(SessionChanges.builder().set("cart", new Cart(List.of("book"))).build());
    String canary = Canary.class.getName();
    List<String> hostile =
        List.of(
            "{\"@t\":\"" + canary + "\",\"v\":{\"payload\":\"x\"}}",
            "{\"@t\":\"evil\",\"v\":{}}",
            "[\"" + canary + "\",{\"payload\":\"x\"}]",
            "{\"@class\":\"" + canary + "\",\"payload\":\"x\"}",
            "{\"@t\":\"java.lang.ProcessBuilder\",\"v\":{\"command\":[\"touch\",\"/tmp/pwned\"]}}",
            "{\"@t\":\"cart\",\"v\":{\"@class\":\"" + canary + "\"}}",
            "\u00ac\u00ed\u0000\u0005");
    for (int i = 0; i < hostile.size(); i++) {
      plant(
          sessionKey(s),
          Codec.ATTRIBUTE + "h" + i,
          hostile.get(i).getBytes(StandardCharsets.UTF_8));
    }
    Session read = store.access(s.id()).session().orElseThrow();
    assertThat(read.attribute("cart")).contains(new Cart(List.of("book")));
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < hostile.size(); i++) {
      String name = "h" + i;
      Object value;
      try {
        value = read.attribute(name).orElseThrow();
      } catch (AttributeDecodingException e) {
        refused.add(name);
        continue;
      }
      // A plain JSON value is harmless data (a list, a map); it must not be the canary.
      assertThat(value).as(name).isNotInstanceOf(Canary.class);
    }
    assertThat(Canary.constructed).as("a planted type was instantiated").isFalse();
    assertThat(refused).contains("h0", "h1", "h4", "h6");
    assertThat(rejected)
        .containsExactlyInAnyOrderElementsOf(
            refused.stream().map(n -> s.handle() + " " + n).toList());
    System.out.printf(
        "StorageSafetyIT: JDK canary not deserialized; %d of %d hostile JSON values refused with an "
            + "event, the rest decoded as plain data; nothing instantiated%n",
        refused.size(), hostile.size());
  }

  @Test
  void rawIdsAndTokensNeverReachRedisOrTheLogAcrossTheWholeLifecycle() {
    MutableClock clock = MutableClock.startingAt(Instant.parse("2026-01-01T00:00:00Z"));
    List<String> secrets = new ArrayList<>();
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String forgedUser =
        "mallory\r\n[main] INFO io.sessionkit.audit - event=session_created handle=forged user=admin";
    commands.clear();
    System.setErr(
        new PrintStream(new TeeStream(captured, originalErr), true, StandardCharsets.UTF_8));
    try (RedisSessionStore store =
            store(
                SessionConfig.builder()
                    .clock(clock)
                    .ttlPolicy(
                        TtlPolicy.idleAndAbsolute(Duration.ofMinutes(30), Duration.ofHours(8))));
        RedisTokenRevocationService tokens =
            RedisTokenRevocationService.create(
                connector, RevocationConfig.builder().clock(clock).build(), store)) {
      Session anon = store.create(SessionChanges.builder().set("cart", "1").build());
      secrets.add(anon.id());
      Session alice = store.login(anon.id(), "alice").sessionOrThrow();
      secrets.add(alice.id());
      store.update(alice.id(), SessionChanges.builder().set("theme", "dark").build());
      store.access(alice.id());
      Session renewed = store.renewId(alice.id()).orElseThrow();
      secrets.add(renewed.id());
      Session mallory = store.login(null, forgedUser).sessionOrThrow();
      secrets.add(mallory.id());
      Session idle = store.login(null, "bob\nuser=root").sessionOrThrow();
      secrets.add(idle.id());
      store.access(renewed.id() + "\r\nforged"); // invalid id, logged as an event only
      store.access("../" + renewed.id());
      String tokenId = "jti-" + renewed.id().substring(5, 30);
      secrets.add(tokenId);
      TokenClaims token =
          new TokenClaims(tokenId, "alice", clock.instant(), clock.instant().plusSeconds(900));
      tokens.revoke(token);
      assertThat(tokens.check(token).isActive()).isFalse();
      RefreshToken refresh = tokens.issue("alice");
      secrets.add(refresh.token());
      RefreshResult rotated = tokens.rotate(refresh.token());
      secrets.add(((RefreshResult.Rotated) rotated).successor().token());
      clock.advance(Duration.ofMinutes(1));
      tokens.rotate(refresh.token()); // reuse outside the grace window: the family dies
      store.deleteByHandle(forgedUser, mallory.handle(), EndReason.REVOKED);
      clock.advance(Duration.ofMinutes(31)); // bob's session expires
      assertThat(store.access(idle.id()).isActive()).isFalse();
      tokens.revokeAllForUser("alice", null);
      assertThat(store.access(renewed.id(), AccessMode.PASSIVE).isActive()).isFalse();
      store.delete(renewed.id(), EndReason.LOGOUT);
    } finally {
      System.err.flush();
      System.setErr(originalErr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    List<String> sent = commands.recorded();
    List<String> stored = dumpEverything();
    for (String secret : secrets) {
      String id = secret.length() > 12 ? secret.substring(0, 4) + "..." : "(short)";
      assertThat(sent)
          .as("commands sent to Redis carry raw secret %s", id)
          .noneMatch(c -> c.contains(secret));
      assertThat(stored).as("Redis holds raw secret %s", id).noneMatch(v -> v.contains(secret));
      assertThat(log).as("the log holds raw secret %s", id).doesNotContain(secret);
      // Nor a recognisable part of one (the audit log may name a handle, a digest, never the id).
      assertThat(log).doesNotContain(secret.substring(2, 24));
    }
    assertThat(log)
        .contains("event=session_created")
        .contains("event=token_revoked")
        .contains("event=invalid_id");
    assertThat(log)
        .doesNotContain("\r\n[main] INFO io.sessionkit.audit - event=session_created handle=forged")
        .doesNotContain("\nuser=root");
    assertThat(log).contains("mallory\\u000d\\u000a[main]");
    System.out.printf(
        "StorageSafetyIT: %d raw ids and tokens, %d commands sent, %d keys and values left, %d log "
            + "characters scanned: none found; CR/LF in user ids escaped%n",
        secrets.size(), sent.size(), stored.size(), log.length());
  }

  /** Every key and every value (hash fields included) in the server, as text. */
  private static List<String> dumpEverything() {
    List<String> out = new ArrayList<>();
    String cursor = "0";
    do {
      List<?> r = (List<?>) redis.call("SCAN", cursor, "COUNT", "1000");
      cursor = String.valueOf(r.get(0));
      for (Object k : (List<?>) r.get(1)) {
        String key = String.valueOf(k);
        out.add(key);
        String type = String.valueOf(redis.call("TYPE", key));
        Object v =
            switch (type) {
              case "string" -> redis.call("GET", key);
              case "hash" -> redis.call("HGETALL", key);
              case "zset" -> redis.call("ZRANGE", key, "0", "-1", "WITHSCORES");
              case "set" -> redis.call("SMEMBERS", key);
              case "list" -> redis.call("LRANGE", key, "0", "-1");
              default -> type;
            };
        out.add(String.valueOf(v));
      }
    } while (!"0".equals(cursor));
    return out;
  }

  /** Writes to the capture and to the real stream, so the build log still shows everything. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
