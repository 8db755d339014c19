package io.sessionkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.Digests;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try")
class TagLocksTest {
  private final TagLocks locks = new TagLocks();

  @Test
  void everyTagHasItsOwnIndex() {
    Set<Integer> seen = new HashSet<>();
    for (int bits = 0; bits < TagLocks.COUNT; bits++) {
      int index = TagLocks.indexOf(Digests.tagOf(bits));
      assertThat(index).isEqualTo(bits);
      seen.add(index);
    }
    assertThat(seen).hasSize(4096);
  }

  @Test
  void notATagIsRefused() {
    assertThatThrownBy(() -> TagLocks.indexOf("A")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TagLocks.indexOf("A*")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TagLocks.indexOf("ABC")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closingReleasesBothLocksOnce() {
    try (TagLocks.Held held = locks.lock("Ab", "zz")) {
      assertThat(locks.isHeldByCurrentThread("Ab")).isTrue();
      assertThat(locks.isHeldByCurrentThread("zz")).isTrue();
      held.close(); // a second close below must not unlock what this thread no longer holds
    }
    assertThat(locks.isHeldByCurrentThread("Ab")).isFalse();
    assertThat(locks.isHeldByCurrentThread("zz")).isFalse();
  }

  @Test
  void theSameTagTwiceIsOneLock() {
    try (TagLocks.Held held = locks.lock("Qx", "Qx")) {
      assertThat(locks.isHeldByCurrentThread("Qx")).isTrue();
    }
    assertThat(locks.isHeldByCurrentThread("Qx")).isFalse();
  }

  @Test
  void aLockExcludesOtherThreads() throws Exception {
    int[] counter = {0};
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CyclicBarrier start = new CyclicBarrier(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 10_000; i++) {
                    try (TagLocks.Held held = locks.lock("k9")) {
                      counter[0]++; // not atomic: only the lock makes the count exact
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counter[0]).isEqualTo(80_000);
  }

  @Test
  void twoTagsTakenInOppositeOrdersNeverDeadlock() throws Exception {
    // Without the fixed order, the two threads would soon each hold one lock and wait for the
    // other.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    int[] counter = {0};
    try {
      CyclicBarrier start = new CyclicBarrier(2);
      Future<?> ab =
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 50_000; i++) {
                  try (TagLocks.Held held = locks.lock("AA", "__")) {
                    counter[0]++;
                  }
                }
                return null;
              });
      Future<?> ba =
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 50_000; i++) {
                  try (TagLocks.Held held = locks.lock("__", "AA")) {
                    counter[0]++;
                  }
                }
                return null;
              });
      // a generous bound only so that a deadlock fails the test instead of hanging the build
      ab.get(120, TimeUnit.SECONDS);
      ba.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(counter[0]).isEqualTo(100_000);
  }
}
