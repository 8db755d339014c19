package io.sessionkit.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.sessionkit.core.StoreUnavailableException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one store or service call as an observation named {@value
 * SessionKitMetrics#STORE_OPERATIONS} with two low-cardinality key values: {@code operation} (the
 * method) and {@code outcome} (what it answered, from a fixed set per method, or {@code
 * unavailable} / {@code error} when it threw).
 */
// "try": the scope makes the observation current for the call (a tracer's span parent); it is not
// read.
@SuppressWarnings("try")
final class Operations {
  static final String OPERATION = "operation";
  static final String OUTCOME = "outcome";

  private final ObservationRegistry registry;

  Operations(ObservationRegistry registry) {
    this.registry = registry;
  }

  <T> T run(String operation, Supplier<T> call, Function<? super T, String> outcome) {
    Observation o =
        Observation.createNotStarted(SessionKitMetrics.STORE_OPERATIONS, registry)
            .contextualName("sessionkit " + operation)
            .lowCardinalityKeyValue(OPERATION, operation);
    o.start();
    try (Observation.Scope scope = o.openScope()) {
      T result = call.get();
      o.lowCardinalityKeyValue(OUTCOME, outcome.apply(result));
      return result;
    } catch (StoreUnavailableException e) {
      o.lowCardinalityKeyValue(OUTCOME, "unavailable");
      o.error(e);
      throw e;
    } catch (RuntimeException | Error e) {
      o.lowCardinalityKeyValue(OUTCOME, "error");
      o.error(e);
      throw e;
    } finally {
      o.stop();
    }
  }

  void run(String operation, Runnable call) {
    run(
        operation,
        () -> {
          call.run();
          return Boolean.TRUE;
        },
        r -> "success");
  }
}
