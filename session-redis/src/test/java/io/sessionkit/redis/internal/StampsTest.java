package io.sessionkit.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StampsTest {

  @Test
  void roundTripsToTheNanosecond() {
    Instant t = Instant.parse("2026-11-21T19:38:11.123456789Z");
    assertThat(Stamps.parse(Stamps.of(t))).isEqualTo(t);
  }

  @Test
  void stringOrderIsTimeOrder() {
    Random random = new Random(42);
    List<Instant> instants = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      instants.add(
          Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000)));
    }
    instants.add(Instant.ofEpochSecond(1_800_000_000, 0));
    instants.add(Instant.ofEpochSecond(1_800_000_000, 1));
    for (Instant a : instants) {
      for (int j = 0; j < 20; j++) {
        Instant b = instants.get(random.nextInt(instants.size()));
        assertThat(Integer.signum(Stamps.of(a).compareTo(Stamps.of(b))))
            .isEqualTo(Integer.signum(a.compareTo(b)));
      }
    }
  }

  @Test
  void oneNanosecondApartIsOrdered() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(Stamps.of(t.minusNanos(1)).compareTo(Stamps.of(t))).isNegative();
  }

  @Test
  void instantsOutsideTheRangeClamp() {
    assertThat(Stamps.of(Instant.MIN)).isEqualTo(Stamps.of(Instant.EPOCH));
    assertThat(Stamps.of(Instant.MAX)).isEqualTo("999999999999.999999999");
    assertThat(Stamps.of(Instant.MAX).compareTo(Stamps.of(Instant.parse("3000-01-01T00:00:00Z"))))
        .isPositive();
  }
}
