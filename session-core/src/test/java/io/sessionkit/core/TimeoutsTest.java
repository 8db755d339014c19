package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeoutsTest {
  private static final Instant CREATED = Instant.parse("2030-01-01T00:00:00Z");
  private static final Duration IDLE = Duration.ofMinutes(30);
  private static final Duration ABSOLUTE = Duration.ofHours(8);

  @Test
  void idleOnlyExpiresIdleAfterTheLastAccess() {
    Timeouts t = Timeouts.idle(IDLE);
    Instant last = CREATED.plus(Duration.ofDays(3));
    assertThat(t.expiresAt(CREATED, last)).isEqualTo(last.plus(IDLE));
    assertThat(t.expiryReason(CREATED, last)).isEqualTo(EndReason.IDLE_TIMEOUT);
    assertThat(t.absolute()).isEmpty();
  }

  @Test
  void absoluteOnlyIgnoresActivity() {
    Timeouts t = Timeouts.absolute(ABSOLUTE);
    assertThat(t.expiresAt(CREATED, CREATED.plus(Duration.ofHours(7))))
        .isEqualTo(CREATED.plus(ABSOLUTE));
    assertThat(t.expiryReason(CREATED, CREATED)).isEqualTo(EndReason.ABSOLUTE_TIMEOUT);
    assertThat(t.idle()).isEmpty();
  }

  @Test
  void bothTakeTheEarlierDeadline() {
    Timeouts t = Timeouts.of(IDLE, ABSOLUTE);
    assertThat(t.expiresAt(CREATED, CREATED)).isEqualTo(CREATED.plus(IDLE));
    assertThat(t.expiryReason(CREATED, CREATED)).isEqualTo(EndReason.IDLE_TIMEOUT);
    Instant late = CREATED.plus(ABSOLUTE).minus(Duration.ofMinutes(10));
    assertThat(t.expiresAt(CREATED, late)).isEqualTo(CREATED.plus(ABSOLUTE));
    assertThat(t.expiryReason(CREATED, late)).isEqualTo(EndReason.ABSOLUTE_TIMEOUT);
  }

  @Test
  void equalDeadlinesAreReportedAsAbsolute() {
    Timeouts t = Timeouts.of(IDLE, ABSOLUTE);
    Instant last = CREATED.plus(ABSOLUTE).minus(IDLE);
    assertThat(t.expiresAt(CREATED, last)).isEqualTo(CREATED.plus(ABSOLUTE));
    assertThat(t.expiryReason(CREATED, last)).isEqualTo(EndReason.ABSOLUTE_TIMEOUT);
    assertThat(t.expiryReason(CREATED, last.minusMillis(1))).isEqualTo(EndReason.IDLE_TIMEOUT);
  }

  @Test
  void badDurationsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> Timeouts.idle(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> Timeouts.absolute(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-5S");
    assertThatThrownBy(() -> Timeouts.of(IDLE, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-0.001S");
    assertThatThrownBy(() -> Timeouts.of(null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timeouts.idle(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void equalityIsByValue() {
    assertThat(Timeouts.of(IDLE, null))
        .isEqualTo(Timeouts.idle(IDLE))
        .hasSameHashCodeAs(Timeouts.idle(IDLE));
    assertThat(Timeouts.of(IDLE, ABSOLUTE)).isNotEqualTo(Timeouts.idle(IDLE));
  }
}
