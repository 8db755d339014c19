package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginOptionsTest {
  @Test
  void defaultsKeepAttributesWithoutOverrideOrMetadata() {
    LoginOptions o = LoginOptions.defaults();
    assertThat(o.keepAttributes()).isTrue();
    assertThat(o.timeouts()).isEmpty();
    assertThat(o.metadata()).isEqualTo(SessionMetadata.empty());
  }

  @Test
  void toBuilderBuildsEqualOptions() {
    LoginOptions o = LoginOptions.builder()
        .metadata(SessionMetadata.of("phone", "Pixel", "UA", "192.0.2.1"))
        .timeouts(Timeouts.of(Duration.ofDays(7), Duration.ofDays(30)))
        .keepAttributes(false)
        .build();
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(LoginOptions.defaults().toBuilder().build()).isEqualTo(LoginOptions.defaults());
    assertThat(o.toBuilder().keepAttributes(true).build()).isNotEqualTo(o);
    assertThat(o.toBuilder().timeouts(null).build().timeouts()).isEmpty();
  }

  @Test
  void nullMetadataIsRefused() {
    assertThatThrownBy(() -> LoginOptions.builder().metadata(null)).isInstanceOf(NullPointerException.class);
  }
}
