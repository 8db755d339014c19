package io.sessionkit.spring.boot;

import io.sessionkit.core.SessionStore;
import io.sessionkit.spring.boot.internal.RedisServices;
import io.sessionkit.spring.boot.internal.SessionKitHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * SessionKit in Spring Boot Actuator, when the application has it: the {@code sessionkit} health
 * indicator ({@link SessionKitHealthIndicator}: Redis reachable within the timeout, eviction
 * policy, replicas, near-cache subscription; for the in-memory store UP, not shared) and the {@link
 * SessionKitEndpoint} (a user's sessions by handle; ending one or all). {@code
 * management.health.sessionkit.enabled=false} turns the indicator off; the endpoint is governed by
 * {@code management.endpoint.sessionkit.*} and exposure like any endpoint.
 */
@AutoConfiguration(after = SessionKitAutoConfiguration.class)
@ConditionalOnBean(SessionStore.class)
public final class SessionKitActuatorAutoConfiguration {
  /** Created by Spring. */
  public SessionKitActuatorAutoConfiguration() {}

  /** The health indicator, with {@code spring-boot-health}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnEnabledHealthIndicator("sessionkit")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "sessionkitHealthIndicator")
    HealthIndicator sessionkitHealthIndicator(ObjectProvider<RedisServices> redis) {
      RedisServices r = redis.getIfAvailable();
      return r != null ? SessionKitHealthIndicator.redis(r) : SessionKitHealthIndicator.inMemory();
    }
  }

  /** The endpoint, with {@code spring-boot-actuator-autoconfigure}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name =
          "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
  @ConditionalOnAvailableEndpoint(SessionKitEndpoint.class)
  static class Endpoint {
    @Bean
    @ConditionalOnMissingBean
    SessionKitEndpoint sessionKitEndpoint(SessionStore store) {
      return new SessionKitEndpoint(store);
    }
  }
}
