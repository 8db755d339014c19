package io.sessionkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.StoreUnavailableException;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.testkit.redis.RedisServer;
import io.sessionkit.testkit.redis.RedisServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The observations a tracer would turn into spans: one per store call, named {@value
 * SessionKitMetrics#STORE_OPERATIONS}, with only the low-cardinality {@code operation} and {@code
 * outcome} key values; a call that fails because Redis is down (a killed redis-server) is observed
 * with its error and outcome {@code unavailable}, and still fails.
 */
class ObservationIT {
  @Test
  void eachCallIsOneObservationWithOperationAndOutcome() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    SessionKitMetrics metrics =
        SessionKitMetrics.builder(new SimpleMeterRegistry())
            .observationRegistry(observations)
            .build();
    SessionStore store =
        metrics.observe(
            InMemorySessionStore.create(SessionConfig.builder().auditLogging(false).build()));
    Session s = store.create();
    store.access(s.id());
    TestObservationRegistryAssert.assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo(SessionKitMetrics.STORE_OPERATIONS, 2)
        .hasAnObservationWithAKeyValue("operation", "access")
        .forAllObservationsWithNameEqualTo(
            SessionKitMetrics.STORE_OPERATIONS,
            o -> {
              o.hasOnlyKeys("operation", "outcome");
              o.hasLowCardinalityKeyValue("outcome", "success");
              o.doesNotHaveError();
            });
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo(SessionKitMetrics.STORE_OPERATIONS)
        .that()
        .hasContextualNameEqualTo("sessionkit create")
        .hasLowCardinalityKeyValue("operation", "create");
  }

  @Test
  void aCallThatFailsBecauseRedisIsDownIsObservedAsUnavailable() {
    TestObservationRegistry observations = TestObservationRegistry.create();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RedisServer redis = RedisServers.startLocal();
        RedisConnector connector =
            RedisConnector.connect(
                RedisOptions.fromUri(redis.uri()).toBuilder()
                    .commandTimeout(Duration.ofSeconds(1))
                    .build())) {
      SessionKitMetrics traced =
          SessionKitMetrics.builder(registry).observationRegistry(observations).build();
      SessionKitMetrics timed = SessionKitMetrics.create(registry);
      RedisSessionStore raw =
          RedisSessionStore.create(connector, SessionConfig.builder().auditLogging(false).build());
      SessionStore tracedStore = traced.observe(raw);
      SessionStore timedStore = timed.observe(raw);
      redis.kill();
      assertThatThrownBy(tracedStore::create).isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(timedStore::create).isInstanceOf(StoreUnavailableException.class);
    }
    TestObservationRegistryAssert.assertThat(observations)
        .hasSingleObservationThat()
        .hasLowCardinalityKeyValue("operation", "create")
        .hasLowCardinalityKeyValue("outcome", "unavailable")
        .hasError()
        .hasBeenStopped();
    assertThat(
            registry
                .get(SessionKitMetrics.STORE_OPERATIONS)
                .tags(
                    "operation",
                    "create",
                    "outcome",
                    "unavailable",
                    "error",
                    "StoreUnavailableException")
                .timer()
                .count())
        .isEqualTo(1);
  }
}
