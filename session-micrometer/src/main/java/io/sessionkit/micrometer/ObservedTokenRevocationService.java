package io.sessionkit.micrometer;

import io.micrometer.observation.ObservationRegistry;
import io.sessionkit.core.RefreshResult;
import io.sessionkit.core.RefreshToken;
import io.sessionkit.core.RefreshTokenService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.TokenCheck;
import io.sessionkit.core.TokenClaims;
import io.sessionkit.core.TokenRevocationService;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenRevocationService} that observes every call of its delegate and counts checks by
 * answer. Forwards each call once and unchanged; adds no I/O. Thread-safe if the delegate is.
 */
class ObservedTokenRevocationService implements TokenRevocationService {
  final TokenRevocationService delegate;
  final Operations ops;
  private final MeterListener meters;

  ObservedTokenRevocationService(
      TokenRevocationService delegate, ObservationRegistry observations, MeterListener meters) {
    this.delegate = delegate;
    this.ops = new Operations(observations);
    this.meters = meters;
  }

  @Override
  public void revoke(TokenClaims token) {
    ops.run("revoke", () -> delegate.revoke(token));
  }

  @Override
  public Instant revokeAllForUser(String userId, @Nullable String keepSessionId) {
    return ops.run(
        "revokeAllForUser", () -> delegate.revokeAllForUser(userId, keepSessionId), w -> "success");
  }

  @Override
  public void revokeAllIssuedBefore(Instant notBefore) {
    ops.run("revokeAllIssuedBefore", () -> delegate.revokeAllIssuedBefore(notBefore));
  }

  @Override
  public TokenCheck check(TokenClaims token) {
    TokenCheck answer =
        ops.run("check", () -> delegate.check(token), a -> a.isActive() ? "success" : "refused");
    meters.check(answer);
    return answer;
  }

  @Override
  public RevocationConfig config() {
    return delegate.config();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "Observed" + delegate;
  }

  /** The decorator of a service that also rotates refresh tokens. */
  static final class Refreshing extends ObservedTokenRevocationService
      implements RefreshTokenService {
    private final RefreshTokenService refresh;

    Refreshing(
        TokenRevocationService delegate, ObservationRegistry observations, MeterListener meters) {
      super(delegate, observations, meters);
      this.refresh = (RefreshTokenService) delegate;
    }

    @Override
    public RefreshToken issue(String subject) {
      return ops.run("refreshIssue", () -> refresh.issue(subject), t -> "success");
    }

    @Override
    public RefreshResult rotate(String refreshToken) {
      return ops.run(
          "refreshRotate",
          () -> refresh.rotate(refreshToken),
          r ->
              r instanceof RefreshResult.Refused f
                  ? f.reason().name().toLowerCase(Locale.ROOT)
                  : "success");
    }

    @Override
    public void revokeFamily(String refreshToken) {
      ops.run("refreshRevokeFamily", () -> refresh.revokeFamily(refreshToken));
    }
  }
}
