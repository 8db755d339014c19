package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TtlPolicyTest {
  @Test
  void defaultsAreTheDocumentedConstants() {
    TtlPolicy p = TtlPolicy.defaults();
    assertThat(p.timeouts())
        .isEqualTo(Timeouts.of(TtlPolicy.DEFAULT_IDLE_TIMEOUT, TtlPolicy.DEFAULT_ABSOLUTE_TIMEOUT));
    assertThat(p.touchInterval()).isEqualTo(TtlPolicy.DEFAULT_TOUCH_INTERVAL);
    assertThat(TtlPolicy.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofMinutes(30));
    assertThat(TtlPolicy.DEFAULT_ABSOLUTE_TIMEOUT).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void toBuilderBuildsAnEqualPolicy() {
    for (TtlPolicy p :
        new TtlPolicy[] {
          TtlPolicy.defaults(),
          TtlPolicy.idle(Duration.ofMinutes(5)),
          TtlPolicy.absolute(Duration.ofHours(1)),
          TtlPolicy.builder()
              .idleTimeout(Duration.ofMinutes(7))
              .absoluteTimeout(Duration.ofHours(2))
              .touchInterval(Duration.ZERO)
              .build()
        }) {
      assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    }
  }

  @Test
  void factoriesSetOnlyTheirTimeouts() {
    assertThat(TtlPolicy.idle(Duration.ofMinutes(5)).timeouts())
        .isEqualTo(Timeouts.idle(Duration.ofMinutes(5)));
    assertThat(TtlPolicy.absolute(Duration.ofHours(1)).timeouts())
        .isEqualTo(Timeouts.absolute(Duration.ofHours(1)));
    assertThat(TtlPolicy.idleAndAbsolute(Duration.ofMinutes(5), Duration.ofHours(1)).timeouts())
        .isEqualTo(Timeouts.of(Duration.ofMinutes(5), Duration.ofHours(1)));
  }

  @Test
  void badValuesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> TtlPolicy.builder().idleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> TtlPolicy.builder().absoluteTimeout(Duration.ofMinutes(-3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-3M");
    assertThatThrownBy(() -> TtlPolicy.builder().touchInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> TtlPolicy.builder().touchInterval(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TtlPolicy.builder().idleTimeout(null).absoluteTimeout(null).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void effectiveTouchIntervalIsBoundedByATenthOfTheIdleTimeout() {
    TtlPolicy p = TtlPolicy.defaults(); // 60 s, idle 30 min
    assertThat(p.effectiveTouchInterval(Timeouts.idle(Duration.ofMinutes(30))))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(p.effectiveTouchInterval(Timeouts.idle(Duration.ofMinutes(5))))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(p.effectiveTouchInterval(Timeouts.absolute(Duration.ofHours(1))))
        .isEqualTo(Duration.ofSeconds(60));
    TtlPolicy zero = p.toBuilder().touchInterval(Duration.ZERO).build();
    assertThat(zero.effectiveTouchInterval(Timeouts.idle(Duration.ofMinutes(5))))
        .isEqualTo(Duration.ZERO);
  }
}
