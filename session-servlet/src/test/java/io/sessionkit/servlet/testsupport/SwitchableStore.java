package io.sessionkit.servlet.testsupport;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.StoreUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A store that forwards to a real one, or fails every call with {@link StoreUnavailableException}
 * while switched off: the backend outage as the filter sees it, without waiting for timeouts.
 * Counts the calls it forwards.
 */
public final class SwitchableStore implements SessionStore {
  private final SessionStore delegate;
  private final LongAdder calls = new LongAdder();
  private volatile boolean down;

  /**
   * @param delegate the real store
   */
  public SwitchableStore(SessionStore delegate) {
    this.delegate = delegate;
  }

  /**
   * @param down whether every call fails
   */
  public void down(boolean down) {
    this.down = down;
  }

  /**
   * @return how many store methods were called through this wrapper (config() not counted)
   */
  public long calls() {
    return calls.sum();
  }

  private SessionStore up() {
    calls.increment();
    if (down) {
      throw new StoreUnavailableException("backend unreachable (test switch)", null);
    }
    return delegate;
  }

  @Override
  public Session create(SessionChanges initial) {
    return up().create(initial);
  }

  @Override
  public AccessResult access(@Nullable String id, AccessMode mode) {
    return up().access(id, mode);
  }

  @Override
  public boolean update(@Nullable String id, SessionChanges changes) {
    return up().update(id, changes);
  }

  @Override
  public Optional<Session> renewId(@Nullable String id) {
    return up().renewId(id);
  }

  @Override
  public LoginResult login(@Nullable String currentId, String userId, LoginOptions options) {
    return up().login(currentId, userId, options);
  }

  @Override
  public boolean delete(@Nullable String id, EndReason reason) {
    return up().delete(id, reason);
  }

  @Override
  public List<SessionInfo> listForUser(String userId) {
    return up().listForUser(userId);
  }

  @Override
  public boolean deleteByHandle(String userId, String handle, EndReason reason) {
    return up().deleteByHandle(userId, handle, reason);
  }

  @Override
  public int deleteAllForUser(String userId, @Nullable String keepId, EndReason reason) {
    return up().deleteAllForUser(userId, keepId, reason);
  }

  @Override
  public SessionConfig config() {
    return delegate.config();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
