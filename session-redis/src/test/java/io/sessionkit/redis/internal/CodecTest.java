package io.sessionkit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.Timeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
  private static final Timeouts DEFAULTS =
      Timeouts.of(Duration.ofMinutes(30), Duration.ofHours(12));

  @Test
  void timeoutsOverrideRoundTrips() {
    for (Timeouts t :
        new Timeouts[] {
          Timeouts.idle(Duration.ofDays(30)),
          Timeouts.absolute(Duration.ofHours(1)),
          Timeouts.of(Duration.ofMinutes(5), Duration.ofMinutes(50))
        }) {
      assertThat(Codec.decodeTimeouts(Codec.encodeTimeouts(t), DEFAULTS)).isEqualTo(t);
    }
    assertThat(Codec.encodeTimeouts(Timeouts.idle(Duration.ofSeconds(3)))).isEqualTo("3000,");
    assertThat(Codec.decodeTimeouts(null, DEFAULTS)).isEqualTo(DEFAULTS);
  }

  @Test
  void attributeFieldsNeverCollideWithSystemFields() {
    Map<String, String> hash = new LinkedHashMap<>();
    hash.put("c", "1000");
    hash.put("a", "2000");
    hash.put("u", "alice");
    hash.put("d", "phone");
    // attributes whose names look like system fields
    hash.put(".c", "\"created\"");
    hash.put(".u", "\"not a user\"");
    hash.put("..", "1");
    Session s = Codec.session("AA" + "A".repeat(43), hash, JsonAttributeCodec.defaults(), DEFAULTS);
    assertThat(s.createdAt()).isEqualTo(Instant.ofEpochMilli(1000));
    assertThat(s.lastAccessedAt()).isEqualTo(Instant.ofEpochMilli(2000));
    assertThat(s.userId()).contains("alice");
    assertThat(s.metadata()).isEqualTo(SessionMetadata.ofDeviceType("phone"));
    assertThat(s.attributeNames()).containsExactly("c", "u", ".");
    assertThat(s.attribute("c")).contains("created");
    assertThat(s.attribute("u")).contains("not a user");
  }
}
