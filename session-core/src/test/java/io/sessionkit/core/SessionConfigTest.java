package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionConfigTest {
  @Test
  void defaultsAreTheDocumentedConstants() {
    SessionConfig c = SessionConfig.defaults();
    assertThat(c.ttlPolicy()).isEqualTo(TtlPolicy.defaults());
    assertThat(c.loginPolicy()).isEqualTo(LoginPolicy.defaults());
    assertThat(c.clockSkew())
        .isEqualTo(SessionConfig.DEFAULT_CLOCK_SKEW)
        .isEqualTo(Duration.ofSeconds(60))
        .isEqualTo(RevocationConfig.DEFAULT_CLOCK_SKEW);
    assertThat(c.idGenerator()).isEqualTo(SessionIdGenerator.defaults());
    assertThat(c.codec()).isEqualTo(JsonAttributeCodec.defaults());
    assertThat(c.tombstoneTtl())
        .isEqualTo(SessionConfig.DEFAULT_TOMBSTONE_TTL)
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(c.maxSessionBytes())
        .isEqualTo(SessionConfig.DEFAULT_MAX_SESSION_BYTES)
        .isEqualTo(65536);
    assertThat(c.auditLogging()).isTrue();
    assertThat(c.listeners()).isEmpty();
  }

  @Test
  void toBuilderBuildsAnEqualConfig() {
    SessionListener listener = new SessionListener() {};
    SessionConfig c =
        SessionConfig.builder()
            .ttlPolicy(TtlPolicy.idle(Duration.ofMinutes(5)))
            .loginPolicy(LoginPolicy.maxSessionsPerUser(2, OnLimit.REJECT_NEW))
            .idGenerator(SessionIdGenerator.builder().bits(128).build())
            .codec(JsonAttributeCodec.builder().allowType("t", Thing.class).build())
            .clock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC))
            .addListener(listener)
            .auditLogging(false)
            .tombstoneTtl(Duration.ZERO)
            .maxSessionBytes(2048)
            .clockSkew(Duration.ofMinutes(5))
            .build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c.toBuilder().build().listeners()).containsExactly(listener);
    assertThat(SessionConfig.defaults().toBuilder().build()).isEqualTo(SessionConfig.defaults());
    assertThat(c.toBuilder().maxSessionBytes(4096).build()).isNotEqualTo(c);
    assertThat(c.toBuilder().clockSkew(Duration.ZERO).build()).isNotEqualTo(c);
  }

  record Thing(int n) {}

  @Test
  void badValuesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> SessionConfig.builder().tombstoneTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> SessionConfig.builder().maxSessionBytes(1023))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1023");
    assertThatThrownBy(() -> SessionConfig.builder().maxSessionBytes(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
    assertThatThrownBy(() -> SessionConfig.builder().clockSkew(Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-2S");
    assertThatThrownBy(() -> SessionConfig.builder().clockSkew(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT48H");
  }

  @Test
  void nullsAreRefused() {
    SessionConfig.Builder b = SessionConfig.builder();
    assertThatThrownBy(() -> b.ttlPolicy(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("ttlPolicy");
    assertThatThrownBy(() -> b.loginPolicy(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.idGenerator(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.codec(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.addListener(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.tombstoneTtl(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void listenersAreCopiedAtBuildTime() {
    SessionConfig.Builder b = SessionConfig.builder();
    SessionConfig first = b.build();
    b.addListener(new SessionListener() {});
    assertThat(first.listeners()).isEmpty();
    assertThatThrownBy(() -> b.build().listeners().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
