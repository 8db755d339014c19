package io.sessionkit.servlet.testsupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A named rendezvous between a test and a request it holds in flight: the {@link ProbeServlet}
 * command {@code await:name} marks the request as arrived and blocks until the test releases it.
 * Latches, not sleeps: the test knows the request is inside the application before it goes on.
 */
public final class Gate {
  private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

  private final CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  private Gate() {}

  /**
   * @param name a name unique to the test
   * @return a new gate under that name
   */
  public static Gate open(String name) {
    Gate g = new Gate();
    GATES.put(name, g);
    return g;
  }

  /** Called by the probe servlet: arrives and waits for the release (at most 30 s). */
  static void pass(String name) {
    Gate g = GATES.get(name);
    if (g == null) {
      throw new IllegalStateException("no gate " + name);
    }
    g.arrived.countDown();
    try {
      if (!g.released.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate " + name + " never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the request is inside the application (at most 30 s). */
  public void awaitArrival() {
    try {
      if (!arrived.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the request never reached the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Lets the request go on. */
  public void release() {
    released.countDown();
  }
}
