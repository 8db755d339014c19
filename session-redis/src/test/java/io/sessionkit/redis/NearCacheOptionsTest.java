package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NearCacheOptionsTest {

  @Test
  void defaultsAreTheDocumentedConstants() {
    NearCacheOptions d = NearCacheOptions.defaults();
    assertThat(d.maxAge())
        .isEqualTo(NearCacheOptions.DEFAULT_MAX_AGE)
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(d.maximumSessions()).isEqualTo(NearCacheOptions.DEFAULT_MAXIMUM_SESSIONS);
    assertThat(d.maximumTokens()).isEqualTo(NearCacheOptions.DEFAULT_MAXIMUM_TOKENS);
    assertThat(d.channel()).isNull();
  }

  @Test
  void toBuilderRoundTripsEveryOption() {
    NearCacheOptions o =
        NearCacheOptions.builder()
            .maxAge(Duration.ofMillis(250))
            .maximumSessions(7)
            .maximumTokens(9)
            .channel("app:inval")
            .build();
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(o).isNotEqualTo(NearCacheOptions.defaults());
    assertThat(o.toString()).contains("PT0.25S", "app:inval");
  }

  @Test
  void setterRejectsABadValueAndNamesIt() {
    assertThatThrownBy(() -> NearCacheOptions.builder().maxAge(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> NearCacheOptions.builder().maxAge(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2M");
    assertThatThrownBy(() -> NearCacheOptions.builder().maximumSessions(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> NearCacheOptions.builder().maximumTokens(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-3");
    assertThatThrownBy(() -> NearCacheOptions.builder().channel("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> NearCacheOptions.builder().channel(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }
}
