package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSettingsTest {
  @Test
  void noFlagsGiveTheDefaults() {
    DemoSettings s = DemoSettings.parse(new String[0], Map.of());
    assertThat(s).isEqualTo(DemoSettings.defaults());
    assertThat(s.portA()).isEqualTo(8080);
    assertThat(s.portB()).isEqualTo(8081);
    assertThat(s.redisUri()).isNull();
    assertThat(s.maxSessionsPerUser()).isEqualTo(3);
  }

  @Test
  void everyFlagIsRead() {
    DemoSettings s =
        DemoSettings.parse(
            new String[] {
              "--port-a",
              "9000",
              "--port-b=9001",
              "--redis",
              "redis://127.0.0.1:6379",
              "--idle",
              "90s",
              "--absolute",
              "PT2H",
              "--max-sessions",
              "1",
              "--plain-http-cookie"
            },
            Map.of());
    assertThat(s)
        .isEqualTo(
            new DemoSettings(
                9000,
                9001,
                "redis://127.0.0.1:6379",
                Duration.ofSeconds(90),
                Duration.ofHours(2),
                1,
                true));
  }

  @Test
  void redisUrlFromTheEnvironmentUnlessTheFlagSaysOtherwise() {
    assertThat(DemoSettings.parse(new String[0], Map.of("REDIS_URL", "redis://r:1")).redisUri())
        .isEqualTo("redis://r:1");
    assertThat(
            DemoSettings.parse(
                    new String[] {"--redis", "redis://s:2"}, Map.of("REDIS_URL", "redis://r:1"))
                .redisUri())
        .isEqualTo("redis://s:2");
  }

  @Test
  void durationsInShortAndIsoForm() {
    assertThat(DemoSettings.duration("--idle", "30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(DemoSettings.duration("--idle", "8h")).isEqualTo(Duration.ofHours(8));
    assertThat(DemoSettings.duration("--idle", "2d")).isEqualTo(Duration.ofDays(2));
    assertThat(DemoSettings.duration("--idle", "pt1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void badValuesAreRefusedNamingTheFlag() {
    assertThatThrownBy(() -> DemoSettings.parse(new String[] {"--port-a", "x"}, Map.of()))
        .hasMessageContaining("--port-a")
        .hasMessageContaining("'x'");
    assertThatThrownBy(() -> DemoSettings.parse(new String[] {"--idle", "soon"}, Map.of()))
        .hasMessageContaining("--idle")
        .hasMessageContaining("'soon'");
    assertThatThrownBy(() -> DemoSettings.parse(new String[] {"--max-sessions", "0"}, Map.of()))
        .hasMessageContaining("--max-sessions");
    assertThatThrownBy(() -> DemoSettings.parse(new String[] {"--port-b", "8080"}, Map.of()))
        .hasMessageContaining("differ");
    assertThatThrownBy(() -> DemoSettings.parse(new String[] {"--redis"}, Map.of()))
        .hasMessageContaining("--redis needs a value");
    assertThatThrownBy(() -> DemoSettings.parse(new String[] {"--frobnicate"}, Map.of()))
        .hasMessageContaining("unknown option '--frobnicate'");
  }

  @Test
  void thePasswordOfARedisUriIsNeverShown() {
    assertThat(DemoBackend.maskPassword("redis://user:secret@host:6379/0"))
        .isEqualTo("redis://***@host:6379/0");
    assertThat(DemoBackend.maskPassword("redis://:secret@host")).isEqualTo("redis://***@host");
    assertThat(DemoBackend.maskPassword("redis://host:6379")).isEqualTo("redis://host:6379");
    assertThat(
            new DemoSettings(
                    1, 2, "redis://u:pw@h", Duration.ofMinutes(1), Duration.ofHours(1), 1, false)
                .toString())
        .doesNotContain("pw");
  }
}
