package io.sessionkit.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.micrometer.NearCacheMetrics;
import io.sessionkit.micrometer.SessionCountMetrics;
import io.sessionkit.micrometer.SessionKitMetrics;
import io.sessionkit.redis.NearCache;
import io.sessionkit.redis.NearCachedSessionStore;
import io.sessionkit.redis.NearCachedTokenRevocationService;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.spring.boot.internal.RedisServices;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Binds SessionKit's meters ({@code session-micrometer}) to the application's Micrometer {@link
 * MeterRegistry}, when there is one (Boot's metrics auto-configuration, usually through {@code
 * spring-boot-starter-actuator}) and {@code session-micrometer} is on the class path.
 *
 * <ul>
 *   <li>One {@link SessionKitMetrics} on Boot's registry, observing through Boot's {@link
 *       ObservationRegistry} when there is one (so store operations become traces where a tracer is
 *       configured);
 *   <li>its listener registered into the {@code SessionConfig} and {@code RevocationConfig} the
 *       auto-configuration builds (through a {@link SessionConfigCustomizer} and a {@link
 *       RevocationConfigCustomizer});
 *   <li>every {@link SessionStore} and {@link TokenRevocationService} bean, the auto-configured
 *       ones or the application's, replaced by its observing decorator, so the filter, Spring
 *       Security and the application all count (the decorators forward each call unchanged and add
 *       no Redis command; the Redis token service keeps the undecorated store it was built with);
 *   <li>the near cache's meters when the near cache is on and connected at startup, and the gauges
 *       of live sessions and signed-in users for the in-memory store, and for Redis when the
 *       deployment counts ({@link RedisOptions.Counting#EXACT}, set with a {@link
 *       RedisOptionsCustomizer}).
 * </ul>
 *
 * <p>An application's own {@link SessionKitMetrics} bean is used instead of this class's.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
    })
@ConditionalOnClass({SessionKitMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(
    prefix = "sessionkit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public final class SessionKitMetricsAutoConfiguration {
  private static final Logger LOG =
      LoggerFactory.getLogger(SessionKitMetricsAutoConfiguration.class);

  /** Created by Spring. */
  public SessionKitMetricsAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  SessionKitMetrics sessionKitMetrics(
      MeterRegistry registry, ObjectProvider<ObservationRegistry> observations) {
    SessionKitMetrics.Builder b = SessionKitMetrics.builder(registry);
    ObservationRegistry o = observations.getIfUnique();
    if (o != null) {
      b.observationRegistry(o);
    }
    return b.build();
  }

  @Bean
  SessionConfigCustomizer sessionKitMetricsSessionListener(SessionKitMetrics metrics) {
    return metrics::register;
  }

  @Bean
  RevocationConfigCustomizer sessionKitMetricsRevocationListener(SessionKitMetrics metrics) {
    return metrics::register;
  }

  /**
   * Static, as every bean post-processor: the metrics are looked up when the first store is made.
   */
  @Bean
  static Observing sessionKitObservingPostProcessor(ObjectProvider<SessionKitMetrics> metrics) {
    return new Observing(metrics);
  }

  @Bean
  StoreMeters sessionKitStoreMeters(
      MeterRegistry registry, ObjectProvider<RedisServices> redis, Observing observing) {
    return new StoreMeters(registry, redis, observing);
  }

  /** Wraps store and token service beans in the observing decorators, once each. */
  static final class Observing implements BeanPostProcessor {
    private final ObjectProvider<SessionKitMetrics> metrics;
    private volatile @Nullable SessionStore observedStore;

    Observing(ObjectProvider<SessionKitMetrics> metrics) {
      this.metrics = metrics;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
      if (isObserved(bean)) {
        return bean;
      }
      if (bean instanceof SessionStore s) {
        observedStore = s;
        return metrics.getObject().observe(s);
      }
      if (bean instanceof TokenRevocationService t) {
        return metrics.getObject().observe(t);
      }
      return bean;
    }

    private static boolean isObserved(Object bean) {
      return bean.getClass().getName().startsWith("io.sessionkit.micrometer.Observed");
    }

    /**
     * @return the last store bean wrapped, undecorated
     */
    @Nullable SessionStore observedStore() {
      return observedStore;
    }
  }

  /** Binds the near-cache and count meters once every singleton exists. */
  static final class StoreMeters implements SmartInitializingSingleton {
    private final MeterRegistry registry;
    private final ObjectProvider<RedisServices> redis;
    private final Observing observing;

    StoreMeters(MeterRegistry registry, ObjectProvider<RedisServices> redis, Observing observing) {
      this.registry = registry;
      this.redis = redis;
      this.observing = observing;
    }

    @Override
    public void afterSingletonsInstantiated() {
      RedisServices services = redis.getIfAvailable();
      if (services == null) {
        if (observing.observedStore() instanceof InMemorySessionStore memory) {
          SessionCountMetrics.of(memory).bindTo(registry);
        }
        return;
      }
      NearCache near = services.nearCache();
      if (near != null) {
        NearCacheMetrics m = NearCacheMetrics.of(near);
        if (services.sessions() instanceof NearCachedSessionStore s) {
          m = m.sessions(s);
        }
        if (services.tokens() instanceof NearCachedTokenRevocationService t) {
          m = m.tokens(t);
        }
        m.bindTo(registry);
      }
      RedisSessionStore store = services.redisStore();
      if (store != null && services.options().counting() == RedisOptions.Counting.EXACT) {
        SessionCountMetrics.of(store).bindTo(registry);
      }
      if (store == null) {
        LOG.info(
            "SessionKit: Redis was not reachable at startup; the near-cache and session-count meters are not bound");
      }
    }
  }
}
