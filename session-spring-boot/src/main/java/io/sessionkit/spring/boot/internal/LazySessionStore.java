package io.sessionkit.spring.boot.internal;

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
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Redis session store of {@link RedisServices} before Redis was first reached: each call
 * connects if it can and then goes to the store, or fails with {@link
 * io.sessionkit.core.StoreUnavailableException}. Closing it does nothing: the services own the
 * store.
 */
final class LazySessionStore implements SessionStore {
  private final RedisServices services;
  private final SessionConfig config;

  LazySessionStore(RedisServices services, SessionConfig config) {
    this.services = services;
    this.config = config;
  }

  @Override
  public Session create(SessionChanges initial) {
    return services.liveSessions().create(initial);
  }

  @Override
  public AccessResult access(@Nullable String id, AccessMode mode) {
    return services.liveSessions().access(id, mode);
  }

  @Override
  public boolean update(@Nullable String id, SessionChanges changes) {
    return services.liveSessions().update(id, changes);
  }

  @Override
  public Optional<Session> renewId(@Nullable String id) {
    return services.liveSessions().renewId(id);
  }

  @Override
  public LoginResult login(@Nullable String currentId, String userId, LoginOptions options) {
    return services.liveSessions().login(currentId, userId, options);
  }

  @Override
  public boolean delete(@Nullable String id, EndReason reason) {
    return services.liveSessions().delete(id, reason);
  }

  @Override
  public List<SessionInfo> listForUser(String userId) {
    return services.liveSessions().listForUser(userId);
  }

  @Override
  public boolean deleteByHandle(String userId, String handle, EndReason reason) {
    return services.liveSessions().deleteByHandle(userId, handle, reason);
  }

  @Override
  public int deleteAllForUser(String userId, @Nullable String keepId, EndReason reason) {
    return services.liveSessions().deleteAllForUser(userId, keepId, reason);
  }

  @Override
  public SessionConfig config() {
    return config;
  }

  @Override
  public void close() {
    // the RedisServices close the store they opened
  }

  @Override
  public String toString() {
    return "LazySessionStore{" + services + '}';
  }
}
