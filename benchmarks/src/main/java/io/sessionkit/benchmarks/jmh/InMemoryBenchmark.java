package io.sessionkit.benchmarks.jmh;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** The in-memory store: access of a live session (touch coalesced) and an attribute update. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InMemoryBenchmark {
  private InMemorySessionStore store;
  private String id;
  private final SessionChanges change = SessionChanges.builder().set("a2", "value-2").build();

  /** Creates the store and one session with 4 attributes. */
  @Setup(Level.Trial)
  public void setUp() {
    store = InMemorySessionStore.create(SessionConfig.builder().auditLogging(false).build());
    id = store.login(null, "alice").sessionOrThrow().id();
    store.update(
        id,
        SessionChanges.builder()
            .set("a1", "value-1")
            .set("a2", "value-2")
            .set("a3", 3)
            .set("a4", "en-GB")
            .build());
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  /**
   * @return the session, read with its idle timeout extended (coalesced)
   */
  @Benchmark
  public AccessResult access() {
    return store.access(id, AccessMode.EXTEND);
  }

  /**
   * @return whether one attribute was changed
   */
  @Benchmark
  public boolean update() {
    return store.update(id, change);
  }
}
