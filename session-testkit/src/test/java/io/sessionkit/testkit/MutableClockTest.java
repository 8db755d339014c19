package io.sessionkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void startsWhereToldInUtc() {
    MutableClock clock = MutableClock.startingAt(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void advancesAndSets() {
    MutableClock clock = MutableClock.startingAt(START);
    assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(START.plusSeconds(300));
    assertThat(clock.advanceMillis(-1000)).isEqualTo(START.plusSeconds(299));
    clock.set(START.minusSeconds(10));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(10));
  }

  @Test
  void startingNowHasMillisecondPrecision() {
    Instant now = MutableClock.startingNow().instant();
    assertThat(now.getNano() % 1_000_000).isZero();
  }

  @Test
  void aZonedViewSharesTheInstant() {
    MutableClock clock = MutableClock.startingAt(START);
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofHours(1));
    assertThat(paris.instant()).isEqualTo(START.plusSeconds(3600));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    assertThat(paris).isNotEqualTo(clock);
    assertThat(MutableClock.startingAt(START)).isNotEqualTo(MutableClock.startingAt(START));
  }

  @Test
  void concurrentAdvancesAreNotLost() throws Exception {
    MutableClock clock = MutableClock.startingAt(START);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < 1000; i++) {
                  clock.advanceMillis(1);
                }
              });
      th.start();
      threads.add(th);
    }
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    assertThat(clock.instant()).isEqualTo(START.plusMillis(8000));
  }
}
