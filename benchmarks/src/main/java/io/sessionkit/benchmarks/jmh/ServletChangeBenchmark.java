package io.sessionkit.benchmarks.jmh;

import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.CookieSettings;
import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/**
 * A request that changes one attribute of a signed-in session with five attributes, through {@link
 * SessionFilter#doFilter} on the in-memory store: the filter reads the cookie, reads the session,
 * the chain changes the attribute, the filter writes it. No container and no HTTP (a {@link
 * BareRequest} and {@link BareResponse} stand in), so what is left is the session layer's own cost.
 * Each request changes the value, so each one writes.
 *
 * <ul>
 *   <li>{@link #setString}: {@code setAttribute("a2", string)}, an immutable value;
 *   <li>{@link #mutateMap}: {@code getAttribute("cart")}, then a {@code put} into that map in
 *       place;
 *   <li>{@link #setList}: {@code setAttribute("list", new ArrayList<>(...))}, a mutable value.
 * </ul>
 *
 * <p>The store's codec counts its encodings; at the end of each run the fork prints {@code
 * encodings per request} (warm-up included), the figure the issue "one encoding per change" is
 * about. After each iteration it also prints {@code cpu ns per request}: the benchmark thread's CPU
 * time ({@link ThreadMXBean#getCurrentThreadCpuTime()}) over the requests of the iteration, which
 * time spent waiting for a core on a busy machine does not inflate as it does the wall-clock score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ServletChangeBenchmark {
  private static final String[] VALUES = {"value-a", "value-b"};
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CountingCodec codec;
  private InMemorySessionStore store;
  private SessionFilter filter;
  private String cookie;
  private int flips;
  private long requests;
  private long iterationCpu;
  private long iterationRequests;

  private final FilterChain setString =
      (req, res) -> ((HttpServletRequest) req).getSession().setAttribute("a2", next());

  private final FilterChain mutateMap =
      (req, res) -> {
        HttpSession s = ((HttpServletRequest) req).getSession();
        @SuppressWarnings("unchecked")
        Map<String, Object> cart = (Map<String, Object>) s.getAttribute("cart");
        cart.put("coupon", next());
      };

  private final FilterChain setList =
      (req, res) ->
          ((HttpServletRequest) req)
              .getSession()
              .setAttribute("list", new ArrayList<>(List.of("sku-1", next())));

  /** An {@link AttributeCodec} that counts its encodings (one benchmark thread). */
  static final class CountingCodec implements AttributeCodec {
    private final AttributeCodec delegate = JsonAttributeCodec.defaults();
    long encodings;

    @Override
    public String encode(String name, Object value) {
      encodings++;
      return delegate.encode(name, value);
    }

    @Override
    public Object decode(String name, String encoded) {
      return delegate.decode(name, encoded);
    }
  }

  /** Creates the store, the filter and one signed-in session with 5 attributes. */
  @Setup(Level.Trial)
  public void setUp() {
    codec = new CountingCodec();
    store =
        InMemorySessionStore.create(
            SessionConfig.builder().codec(codec).auditLogging(false).build());
    String id = store.login(null, "alice").sessionOrThrow().id();
    Map<String, Object> cart = new LinkedHashMap<>();
    cart.put("items", List.of("sku-1", "sku-2", "sku-3"));
    cart.put("total", 4299);
    store.update(
        id,
        SessionChanges.builder()
            .set("a1", "value-1")
            .set("a2", "value-2")
            .set("a3", 3)
            .set("a4", "en-GB")
            .set("cart", cart)
            .build());
    filter = SessionFilter.builder(store).build();
    cookie = CookieSettings.DEFAULT_NAME + "=" + id;
    codec.encodings = 0;
    requests = 0;
  }

  /** Prints the encodings per request and closes the store. */
  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.printf(
        "%nencodings per request: %.2f (%d requests)%n",
        (double) codec.encodings / requests, requests);
    store.close();
  }

  /** Notes the thread's CPU time at the start of an iteration. */
  @Setup(Level.Iteration)
  public void startIteration() {
    iterationRequests = requests;
    iterationCpu = THREADS.getCurrentThreadCpuTime();
  }

  /** Prints the thread's CPU time per request over the iteration. */
  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = THREADS.getCurrentThreadCpuTime() - iterationCpu;
    long n = requests - iterationRequests;
    System.out.printf("cpu ns per request: %.0f%n", n == 0 ? 0.0 : (double) cpu / n);
  }

  private String next() {
    return VALUES[flips++ & 1];
  }

  private BareResponse run(FilterChain chain) throws IOException, ServletException {
    BareResponse response = new BareResponse();
    filter.doFilter(new BareRequest(cookie), response, chain);
    requests++;
    return response;
  }

  /**
   * @return the response
   * @throws Exception never
   */
  @Benchmark
  public BareResponse setString() throws Exception {
    return run(setString);
  }

  /**
   * @return the response
   * @throws Exception never
   */
  @Benchmark
  public BareResponse mutateMap() throws Exception {
    return run(mutateMap);
  }

  /**
   * @return the response
   * @throws Exception never
   */
  @Benchmark
  public BareResponse setList() throws Exception {
    return run(setList);
  }
}
