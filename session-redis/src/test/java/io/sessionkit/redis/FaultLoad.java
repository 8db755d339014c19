package io.sessionkit.redis;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for the fault suites: N threads that create, read, write and end sessions in a loop against
 * one store, and record what happened to every call: success, {@link StoreUnavailableException}
 * (the documented failure), anything else (a bug), and how long the slowest failed call took. A
 * session counts as acknowledged once {@code create} returned it; the caller then checks that every
 * acknowledged session survived.
 */
final class FaultLoad implements AutoCloseable {
  private final SessionStore store;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Queue<Session> acknowledged = new ConcurrentLinkedQueue<>();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();
  private final AtomicLong slowestFailureNanos = new AtomicLong();
  private final AtomicLong slowestCallNanos = new AtomicLong();
  private final AtomicLong lastSuccessNanos = new AtomicLong();
  private final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
  private final List<Session> recent = new CopyOnWriteArrayList<>();
  private final List<String> failureMessages = new CopyOnWriteArrayList<>();

  FaultLoad(SessionStore store, int threadCount, long seed) {
    this.store = store;
    for (int t = 0; t < threadCount; t++) {
      Random random = new Random(seed + t);
      Thread thread = new Thread(() -> loop(random), "fault-load-" + t);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  private void loop(Random random) {
    while (running.get()) {
      long start = System.nanoTime();
      try {
        int op = random.nextInt(10);
        if (op < 3 || recent.isEmpty()) {
          Session s = store.create(SessionChanges.builder().set("n", random.nextInt()).build());
          acknowledged.add(s);
          if (recent.size() < 256) {
            recent.add(s);
          }
        } else if (op < 8) {
          Session s = recent.get(random.nextInt(recent.size()));
          store.access(s.id());
        } else if (op < 9) {
          Session s = recent.get(random.nextInt(recent.size()));
          store.update(s.id(), SessionChanges.builder().set("w", random.nextInt()).build());
        } else {
          Session s = store.create();
          store.delete(s.id(), EndReason.LOGOUT);
        }
        ok.incrementAndGet();
        lastSuccessNanos.set(System.nanoTime());
      } catch (StoreUnavailableException e) {
        if (unavailable.incrementAndGet() <= 5) {
          failureMessages.add(String.valueOf(e.getMessage()));
        }
        slowestFailureNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        slowestCallNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        pause(1); // a failed call returns at once: do not spin the CPU meanwhile
        continue;
      } catch (Throwable e) {
        unexpected.add(e);
      }
      slowestCallNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
    }
  }

  /**
   * Waits (polling) until at least {@code n} more calls succeeded, or fails after {@code within}.
   */
  void awaitSuccesses(long n, Duration within) {
    long target = ok.get() + n;
    long deadline = System.nanoTime() + within.toNanos();
    while (ok.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the load made "
                + (ok.get() - target + n)
                + " of "
                + n
                + " successful calls within "
                + within
                + "; unexpected errors: "
                + unexpected);
      }
      pause(5);
    }
  }

  /** Waits until {@code n} more calls failed with StoreUnavailableException. */
  void awaitFailures(long n, Duration within) {
    long target = unavailable.get() + n;
    long deadline = System.nanoTime() + within.toNanos();
    while (unavailable.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the load saw no " + n + " StoreUnavailableExceptions within " + within);
      }
      pause(5);
    }
  }

  /**
   * @return the nanoTime at which the first call after {@code since} succeeded, or waits for it
   */
  long firstSuccessAfter(long since, Duration within) {
    long deadline = since + within.toNanos() + Duration.ofSeconds(30).toNanos();
    while (lastSuccessNanos.get() < since) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no call succeeded after the fault was repaired");
      }
      pause(1);
    }
    return lastSuccessNanos.get();
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Zeroes the slowest-call figures (call before the fault). */
  void resetSlowest() {
    slowestFailureNanos.set(0);
    slowestCallNanos.set(0);
  }

  long successes() {
    return ok.get();
  }

  long failures() {
    return unavailable.get();
  }

  Duration slowestFailure() {
    return Duration.ofNanos(slowestFailureNanos.get());
  }

  Duration slowestCall() {
    return Duration.ofNanos(slowestCallNanos.get());
  }

  /**
   * @return the messages of the first five StoreUnavailableExceptions
   */
  List<String> failureMessages() {
    return failureMessages;
  }

  List<Throwable> unexpected() {
    return unexpected;
  }

  /**
   * @return the sessions whose create returned (the load never ends those)
   */
  List<Session> acknowledged() {
    return new ArrayList<>(acknowledged);
  }

  /**
   * Stops the threads and waits for them.
   *
   * @param within how long a thread may take to finish its current call
   * @return the threads still running after that (stuck ones)
   */
  List<Thread> stop(Duration within) {
    running.set(false);
    long deadline = System.nanoTime() + within.toNanos();
    List<Thread> stuck = new ArrayList<>();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        stuck.add(t);
      }
    }
    return stuck;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
