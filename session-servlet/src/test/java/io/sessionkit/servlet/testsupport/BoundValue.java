package io.sessionkit.servlet.testsupport;

import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An attribute value that counts its binding events, for the {@link HttpSessionBindingListener}
 * tests. Allowed in the test codec under the alias {@value #ALIAS}.
 *
 * @param label any text
 */
public record BoundValue(String label) implements HttpSessionBindingListener {
  /** The codec alias. */
  public static final String ALIAS = "bound";

  /** How many times a value was bound, since the last {@link #reset()}. */
  public static final AtomicInteger BOUND = new AtomicInteger();

  /** How many times a value was unbound, since the last {@link #reset()}. */
  public static final AtomicInteger UNBOUND = new AtomicInteger();

  /** Zeroes the counters. */
  public static void reset() {
    BOUND.set(0);
    UNBOUND.set(0);
  }

  /** The label of a value whose listener methods throw after counting. */
  public static final String THROWING = "throwing";

  @Override
  public void valueBound(HttpSessionBindingEvent event) {
    BOUND.incrementAndGet();
    if (THROWING.equals(label)) {
      throw new IllegalStateException("valueBound failure (test)");
    }
  }

  @Override
  public void valueUnbound(HttpSessionBindingEvent event) {
    UNBOUND.incrementAndGet();
    if (THROWING.equals(label)) {
      throw new IllegalStateException("valueUnbound failure (test)");
    }
  }
}
