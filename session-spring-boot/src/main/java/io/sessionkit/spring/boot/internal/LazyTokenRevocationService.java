package io.sessionkit.spring.boot.internal;

import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The token service of {@link RedisServices} before Redis was first reached; as {@link
 * LazySessionStore}.
 */
final class LazyTokenRevocationService implements TokenRevocationService {
  private final RedisServices services;
  private final RevocationConfig config;

  LazyTokenRevocationService(RedisServices services, RevocationConfig config) {
    this.services = services;
    this.config = config;
  }

  @Override
  public void revoke(TokenClaims token) {
    services.liveTokens().revoke(token);
  }

  @Override
  public Instant revokeAllForUser(String userId, @Nullable String keepSessionId) {
    return services.liveTokens().revokeAllForUser(userId, keepSessionId);
  }

  @Override
  public void revokeAllIssuedBefore(Instant notBefore) {
    services.liveTokens().revokeAllIssuedBefore(notBefore);
  }

  @Override
  public TokenCheck check(TokenClaims token) {
    return services.liveTokens().check(token);
  }

  @Override
  public RevocationConfig config() {
    return config;
  }

  @Override
  public void close() {
    // the RedisServices close the service they opened
  }

  @Override
  public String toString() {
    return "LazyTokenRevocationService{" + services + '}';
  }
}
