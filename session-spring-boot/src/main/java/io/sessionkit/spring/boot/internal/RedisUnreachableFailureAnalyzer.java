package io.sessionkit.spring.boot.internal;

import io.sessionkit.spring.boot.RedisUnreachableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Boot's "APPLICATION FAILED TO START" report for Redis unreachable at startup: what and what to
 * change.
 */
public final class RedisUnreachableFailureAnalyzer
    extends AbstractFailureAnalyzer<RedisUnreachableException> {
  /** Called by Boot, listed in {@code META-INF/spring.factories}. */
  public RedisUnreachableFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, RedisUnreachableException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Start Redis at "
            + cause.maskedUri()
            + ", or point spring.data.redis.url (or spring.data.redis.host and"
            + " spring.data.redis.port) at a running Redis. To start anyway and answer 503 until Redis is reachable,"
            + " set sessionkit.redis.lazy-connect=true; for one instance without Redis, set sessionkit.store=memory.",
        cause);
  }
}
