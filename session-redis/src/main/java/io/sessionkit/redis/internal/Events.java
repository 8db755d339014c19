package io.sessionkit.redis.internal;

import io.sessionkit.core.AuditLog;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.RevocationListener;
import io.sessionkit.core.SessionEvent;
import io.sessionkit.core.SessionListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the application's listeners and the audit log, on the calling thread, after
 * the operation took effect; a listener's exception is logged and swallowed.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final List<SessionListener> sessionListeners;
  private final List<RevocationListener> revocationListeners;

  private Events(List<SessionListener> sessionListeners, List<RevocationListener> revocationListeners) {
    this.sessionListeners = sessionListeners;
    this.revocationListeners = revocationListeners;
  }

  /** Events of a session store. */
  public static Events forSessions(List<SessionListener> listeners, boolean audit) {
    List<SessionListener> all = new ArrayList<>(listeners);
    if (audit) {
      all.add(AuditLog.instance());
    }
    return new Events(List.copyOf(all), List.of());
  }

  /** Events of a revocation service. */
  public static Events forRevocations(List<RevocationListener> listeners, boolean audit) {
    List<RevocationListener> all = new ArrayList<>(listeners);
    if (audit) {
      all.add(AuditLog.instance());
    }
    return new Events(List.of(), List.copyOf(all));
  }

  public void created(String handle, @Nullable String userId, Instant at) {
    session(l -> l.sessionCreated(new SessionEvent(handle, userId, at)));
  }

  public void ended(String handle, @Nullable String userId, Instant at, EndReason reason) {
    session(l -> l.sessionEnded(new SessionEvent(handle, userId, at), reason));
  }

  public void idChanged(String handle, @Nullable String userId, Instant at, String previousHandle) {
    session(l -> l.sessionIdChanged(new SessionEvent(handle, userId, at), previousHandle));
  }

  public void invalidId(String source) {
    session(l -> l.invalidIdPresented(source));
  }

  public void loginRejected(String userId) {
    session(l -> l.loginRejected(userId));
  }

  public void tokenRevoked(String digest, @Nullable String subject) {
    revocation(l -> l.tokenRevoked(digest, subject));
  }

  public void userRevoked(String userId, Instant notBefore) {
    revocation(l -> l.userRevoked(userId, notBefore));
  }

  public void allRevoked(Instant notBefore) {
    revocation(l -> l.allRevoked(notBefore));
  }

  public void refreshTokenReused(String familyHandle, String subject) {
    revocation(l -> l.refreshTokenReused(familyHandle, subject));
  }

  private void session(Consumer<SessionListener> event) {
    for (SessionListener l : sessionListeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("session listener {} failed; the operation stands", l.getClass().getName(), e);
      }
    }
  }

  private void revocation(Consumer<RevocationListener> event) {
    for (RevocationListener l : revocationListeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("revocation listener {} failed; the operation stands", l.getClass().getName(), e);
      }
    }
  }
}
