package io.sessionkit.redis.internal;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.RevocationListener;
import io.sessionkit.core.RevocationListeners;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionEvent;
import io.sessionkit.core.SessionListener;
import io.sessionkit.core.SessionListeners;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Builds events from what the scripts return and hands them to the shared dispatchers of
 * session-core ({@link SessionListeners}, {@link RevocationListeners}): the application's listeners
 * and the audit log, on the calling thread, after the operation took effect; a listener's exception
 * is logged and swallowed.
 */
public final class Events {
  private final SessionListener sessions;
  private final RevocationListener revocations;

  private Events(SessionListener sessions, RevocationListener revocations) {
    this.sessions = sessions;
    this.revocations = revocations;
  }

  /** Events of a session store. */
  public static Events of(SessionConfig config) {
    return new Events(SessionListeners.of(config), new RevocationListener() {});
  }

  /** Events of a revocation service. */
  public static Events of(RevocationConfig config) {
    return new Events(new SessionListener() {}, RevocationListeners.of(config));
  }

  public void created(String handle, @Nullable String userId, Instant at) {
    sessions.sessionCreated(new SessionEvent(handle, userId, at));
  }

  public void ended(String handle, @Nullable String userId, Instant at, EndReason reason) {
    sessions.sessionEnded(new SessionEvent(handle, userId, at), reason);
  }

  public void idChanged(String handle, @Nullable String userId, Instant at, String previousHandle) {
    sessions.sessionIdChanged(new SessionEvent(handle, userId, at), previousHandle);
  }

  public void attributeRejected(
      String handle, @Nullable String userId, Instant at, String attributeName) {
    sessions.attributeRejected(new SessionEvent(handle, userId, at), attributeName);
  }

  public void invalidId(String source) {
    sessions.invalidIdPresented(source);
  }

  public void loginRejected(String userId) {
    sessions.loginRejected(userId);
  }

  public void tokenRevoked(String digest, @Nullable String subject) {
    revocations.tokenRevoked(digest, subject);
  }

  public void userRevoked(String userId, Instant notBefore) {
    revocations.userRevoked(userId, notBefore);
  }

  public void allRevoked(Instant notBefore) {
    revocations.allRevoked(notBefore);
  }

  public void refreshTokenReused(String familyHandle, String subject) {
    revocations.refreshTokenReused(familyHandle, subject);
  }

  public void refreshTokenReplayed(String familyHandle, String subject) {
    revocations.refreshTokenReplayed(familyHandle, subject);
  }

  public void memoryLossDetected(Instant notBefore) {
    revocations.memoryLossDetected(notBefore);
  }
}
