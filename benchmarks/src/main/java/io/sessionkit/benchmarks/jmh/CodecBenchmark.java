package io.sessionkit.benchmarks.jmh;

import io.sessionkit.core.JsonAttributeCodec;
import java.util.List;
import java.util.Map;
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

/** Attribute encoding and decoding with the default JSON codec: a short string and a small map. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  private final JsonAttributeCodec codec = JsonAttributeCodec.defaults();
  private final Map<String, Object> cart =
      Map.of("items", List.of("sku-1", "sku-2", "sku-3"), "total", 4299, "currency", "EUR");
  private final String encodedString = codec.encode("theme", "dark");
  private final String encodedCart = codec.encode("cart", cart);

  /**
   * @return a short string, encoded
   */
  @Benchmark
  public String encodeString() {
    return codec.encode("theme", "dark");
  }

  /**
   * @return a short string, decoded
   */
  @Benchmark
  public Object decodeString() {
    return codec.decode("theme", encodedString);
  }

  /**
   * @return a small map, encoded
   */
  @Benchmark
  public String encodeMap() {
    return codec.encode("cart", cart);
  }

  /**
   * @return a small map, decoded
   */
  @Benchmark
  public Object decodeMap() {
    return codec.decode("cart", encodedCart);
  }
}
