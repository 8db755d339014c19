package io.sessionkit.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers revocation events to every listener of a {@link RevocationConfig}, plus {@link AuditLog}
 * when {@link RevocationConfig#auditLogging()} is on. Same rules as {@link SessionListeners}:
 * registration order, calling thread, exceptions logged and swallowed.
 *
 * <p>Immutable and thread-safe.
 */
public final class RevocationListeners implements RevocationListener {
  private static final Logger LOG = LoggerFactory.getLogger(RevocationListeners.class);

  private final List<RevocationListener> listeners;

  private RevocationListeners(List<RevocationListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /**
   * The dispatcher for a service's configuration.
   *
   * @param config the configuration
   * @return a listener that forwards to the configured ones
   */
  public static RevocationListeners of(RevocationConfig config) {
    List<RevocationListener> all = new ArrayList<>(config.listeners());
    if (config.auditLogging()) {
      all.add(AuditLog.instance());
    }
    return new RevocationListeners(all);
  }

  @Override
  public void tokenRevoked(String tokenDigest, @Nullable String subject) {
    each("tokenRevoked", l -> l.tokenRevoked(tokenDigest, subject));
  }

  @Override
  public void userRevoked(String userId, Instant notBefore) {
    each("userRevoked", l -> l.userRevoked(userId, notBefore));
  }

  @Override
  public void allRevoked(Instant notBefore) {
    each("allRevoked", l -> l.allRevoked(notBefore));
  }

  @Override
  public void refreshTokenReused(String familyHandle, String subject) {
    each("refreshTokenReused", l -> l.refreshTokenReused(familyHandle, subject));
  }

  @Override
  public void refreshTokenReplayed(String familyHandle, String subject) {
    each("refreshTokenReplayed", l -> l.refreshTokenReplayed(familyHandle, subject));
  }

  @Override
  public void memoryLossDetected(Instant notBefore) {
    each("memoryLossDetected", l -> l.memoryLossDetected(notBefore));
  }

  private void each(String method, Consumer<RevocationListener> call) {
    for (RevocationListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn(
            "revocation listener {} threw from {}; ignored", l.getClass().getName(), method, e);
      }
    }
  }
}
