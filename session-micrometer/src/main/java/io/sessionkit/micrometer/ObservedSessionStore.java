package io.sessionkit.micrometer;

import io.micrometer.observation.ObservationRegistry;
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
 * A {@link SessionStore} that observes every call of its delegate and counts logins by result.
 * Forwards each call once and unchanged; adds no I/O. Thread-safe if the delegate is.
 */
final class ObservedSessionStore implements SessionStore {
  private final SessionStore delegate;
  private final Operations ops;
  private final MeterListener meters;

  ObservedSessionStore(
      SessionStore delegate, ObservationRegistry observations, MeterListener meters) {
    this.delegate = delegate;
    this.ops = new Operations(observations);
    this.meters = meters;
  }

  private static String found(boolean b) {
    return b ? "success" : "absent";
  }

  @Override
  public Session create(SessionChanges initial) {
    return ops.run("create", () -> delegate.create(initial), s -> "success");
  }

  @Override
  public AccessResult access(@Nullable String id, AccessMode mode) {
    return ops.run(
        "access",
        () -> delegate.access(id, mode),
        r -> r.isActive() ? "success" : r.endReason().isPresent() ? "ended" : "absent");
  }

  @Override
  public boolean update(@Nullable String id, SessionChanges changes) {
    return ops.run("update", () -> delegate.update(id, changes), ObservedSessionStore::found);
  }

  @Override
  public Optional<Session> renewId(@Nullable String id) {
    return ops.run("renewId", () -> delegate.renewId(id), r -> found(r.isPresent()));
  }

  @Override
  public LoginResult login(@Nullable String currentId, String userId, LoginOptions options) {
    LoginResult result =
        ops.run(
            "login",
            () -> delegate.login(currentId, userId, options),
            r -> r.isAccepted() ? "success" : "rejected");
    meters.login(result);
    return result;
  }

  @Override
  public boolean delete(@Nullable String id, EndReason reason) {
    return ops.run("delete", () -> delegate.delete(id, reason), ObservedSessionStore::found);
  }

  @Override
  public List<SessionInfo> listForUser(String userId) {
    return ops.run("listForUser", () -> delegate.listForUser(userId), r -> "success");
  }

  @Override
  public boolean deleteByHandle(String userId, String handle, EndReason reason) {
    return ops.run(
        "deleteByHandle",
        () -> delegate.deleteByHandle(userId, handle, reason),
        ObservedSessionStore::found);
  }

  @Override
  public int deleteAllForUser(String userId, @Nullable String keepId, EndReason reason) {
    return ops.run(
        "deleteAllForUser",
        () -> delegate.deleteAllForUser(userId, keepId, reason),
        n -> "success");
  }

  @Override
  public SessionConfig config() {
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
}
