package io.sessionkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.Timeouts;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.core.UserIds;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserIdsAndTouchesTest {
  @Test
  void userIdsOfOneTo256CharactersOfAnyKindAreValid() {
    for (String ok : new String[] {"a", "u".repeat(256), "a:b", "*", "{x}", "a\r\nb", "\0"}) {
      assertThat(UserIds.requireValid(ok)).isEqualTo(ok);
      assertThat(UserIds.isValid(ok)).isTrue();
    }
  }

  @Test
  void emptyOrLongUserIdsAreRefusedByLengthNotValue() {
    assertThatThrownBy(() -> UserIds.requireValid(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> UserIds.requireValid("secret".repeat(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 300")
        .hasMessageNotContaining("secret");
    assertThat(UserIds.isValid(null)).isFalse();
    assertThat(UserIds.isValid("u".repeat(257))).isFalse();
  }

  @Test
  void aTouchIsDueOnceTheEffectiveIntervalPassed() {
    TtlPolicy policy =
        TtlPolicy.builder()
            .idleTimeout(Duration.ofMinutes(5))
            .touchInterval(Duration.ofMinutes(1))
            .build();
    Timeouts t = policy.timeouts();
    Instant last = Instant.parse("2030-01-01T00:00:00Z");
    // effective interval: min(60 s, 5 min / 10) = 30 s
    assertThat(policy.isTouchDue(t, last, last.plusSeconds(29))).isFalse();
    assertThat(policy.isTouchDue(t, last, last.plusSeconds(30))).isTrue();
    // a session override with a long idle timeout falls back to the configured interval
    Timeouts longer = Timeouts.idle(Duration.ofHours(10));
    assertThat(policy.isTouchDue(longer, last, last.plusSeconds(59))).isFalse();
    assertThat(policy.isTouchDue(longer, last, last.plusSeconds(60))).isTrue();
  }

  @Test
  void aZeroIntervalTouchesEveryTime() {
    TtlPolicy policy = TtlPolicy.builder().touchInterval(Duration.ZERO).build();
    Instant last = Instant.parse("2030-01-01T00:00:00Z");
    assertThat(policy.isTouchDue(policy.timeouts(), last, last)).isTrue();
  }
}
