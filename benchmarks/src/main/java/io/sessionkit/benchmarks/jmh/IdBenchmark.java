package io.sessionkit.benchmarks.jmh;

import io.sessionkit.core.Digests;
import io.sessionkit.core.SessionIdGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Session ids: drawing one (256 bits of SecureRandom), checking a format, deriving the handle. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdBenchmark {
  private final SessionIdGenerator ids = SessionIdGenerator.defaults();
  private final String valid = ids.newAnonymousId();
  private final String malformed = valid.substring(0, 20) + "*{x}:" + valid.substring(25);

  /**
   * @return a fresh anonymous id
   */
  @Benchmark
  public String newAnonymousId() {
    return ids.newAnonymousId();
  }

  /**
   * @return a fresh id in a user's slot
   */
  @Benchmark
  public String newIdForUser() {
    return ids.newIdForUser("alice@example.com");
  }

  /**
   * @return whether a valid id passes the format check
   */
  @Benchmark
  public boolean isWellFormedValid() {
    return ids.isWellFormed(valid);
  }

  /**
   * @return whether a malformed id passes the format check (it must not)
   */
  @Benchmark
  public boolean isWellFormedMalformed() {
    return ids.isWellFormed(malformed);
  }

  /**
   * @return the handle (the digest keys are built from)
   */
  @Benchmark
  public String handleOf() {
    return Digests.handleOf(valid);
  }
}
