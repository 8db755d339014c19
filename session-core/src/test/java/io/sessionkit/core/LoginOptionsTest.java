package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginOptionsTest {
  @Test
  void defaultsCarryNothingWithoutOverrideOrMetadata() {
    LoginOptions o = LoginOptions.defaults();
    assertThat(o.keepAttributes()).isFalse();
    assertThat(o.carryOver()).isEqualTo(CarryOver.NONE);
    assertThat(o.carries("cart")).isFalse();
    assertThat(o.timeouts()).isEmpty();
    assertThat(o.metadata()).isEqualTo(SessionMetadata.empty());
  }

  @Test
  void toBuilderBuildsEqualOptions() {
    LoginOptions o =
        LoginOptions.builder()
            .metadata(SessionMetadata.of("phone", "Pixel", "UA", "192.0.2.1"))
            .timeouts(Timeouts.of(Duration.ofDays(7), Duration.ofDays(30)))
            .keepAttributes(false)
            .build();
    assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    assertThat(LoginOptions.defaults().toBuilder().build()).isEqualTo(LoginOptions.defaults());
    assertThat(o.toBuilder().keepAttributes(true).build()).isNotEqualTo(o);
    assertThat(o.toBuilder().timeouts(null).build().timeouts()).isEmpty();
    LoginOptions listed = o.toBuilder().carryOnly("cart", "theme").build();
    assertThat(listed.toBuilder().build()).isEqualTo(listed).hasSameHashCodeAs(listed);
    assertThat(listed).isNotEqualTo(o.toBuilder().carryOnly("cart").build());
  }

  @Test
  void carryOverModes() {
    LoginOptions all = LoginOptions.builder().carryOver(CarryOver.ALL).build();
    assertThat(all.keepAttributes()).isTrue();
    assertThat(all.carries("anything")).isTrue();
    LoginOptions listed = LoginOptions.builder().carryOnly("cart").build();
    assertThat(listed.carryOver()).isEqualTo(CarryOver.LISTED);
    assertThat(listed.carriedNames()).containsExactly("cart");
    assertThat(listed.carries("cart")).isTrue();
    assertThat(listed.carries("returnTo")).isFalse();
    assertThat(LoginOptions.builder().keepAttributes(true).build()).isEqualTo(all);
    assertThatThrownBy(() -> LoginOptions.builder().carryOver(CarryOver.LISTED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("carryOnly");
    assertThatThrownBy(() -> LoginOptions.builder().carryOnly(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullMetadataIsRefused() {
    assertThatThrownBy(() -> LoginOptions.builder().metadata(null))
        .isInstanceOf(NullPointerException.class);
  }
}
