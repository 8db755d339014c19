package io.sessionkit.spring.boot;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.SessionStore;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code sessionkit} actuator endpoint: a user's sessions, by handle, and ending them. Like
 * every endpoint it is exposed over HTTP only if the application exposes it ({@code
 * management.endpoints.web.exposure.include=sessionkit}), and should then be protected as an
 * administrative interface.
 *
 * <ul>
 *   <li>{@code GET /actuator/sessionkit/{userId}}: the user's live sessions, each with its handle,
 *       creation, last access and expiry instants and device metadata; never a session id;
 *   <li>{@code DELETE /actuator/sessionkit/{userId}/{handle}}: ends that session ({@link
 *       EndReason#REVOKED});
 *   <li>{@code DELETE /actuator/sessionkit/{userId}}: ends every session of the user ({@link
 *       EndReason#ALL_REVOKED}).
 * </ul>
 *
 * <p>Thread-safe: each operation is one call to the store.
 */
@Endpoint(id = "sessionkit")
public final class SessionKitEndpoint {
  private final SessionStore store;

  /**
   * @param store the store the application's filter uses
   */
  public SessionKitEndpoint(SessionStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * A session as the endpoint shows it: no id.
   *
   * @param handle the session's handle (names it in logs and here, cannot be used as a cookie)
   * @param created when it was created (ISO-8601)
   * @param lastAccess when it was last accessed (ISO-8601)
   * @param expires when it expires unless used again (ISO-8601)
   * @param authenticated when the user signed in, or null
   * @param deviceType the device type given at login, or null
   * @param deviceLabel the device label given at login, or null
   * @param userAgent the user agent given at login, or null
   * @param address the client address given at login, or null
   */
  public record SessionView(
      String handle,
      String created,
      String lastAccess,
      String expires,
      @Nullable String authenticated,
      @Nullable String deviceType,
      @Nullable String deviceLabel,
      @Nullable String userAgent,
      @Nullable String address) {
    static SessionView of(SessionInfo s) {
      SessionMetadata m = s.metadata();
      return new SessionView(
          s.handle(),
          s.createdAt().toString(),
          s.lastAccessedAt().toString(),
          s.expiresAt().toString(),
          s.authenticatedAt().map(Object::toString).orElse(null),
          m.deviceType().orElse(null),
          m.deviceLabel().orElse(null),
          m.userAgent().orElse(null),
          m.address().orElse(null));
    }
  }

  /**
   * What a delete did.
   *
   * @param ended how many sessions were ended
   */
  public record Ended(int ended) {}

  /**
   * Lists a user's live sessions.
   *
   * @param userId the user
   * @return the sessions, oldest first as the store lists them; empty if none
   */
  @ReadOperation
  public List<SessionView> sessions(@Selector String userId) {
    return store.listForUser(userId).stream().map(SessionView::of).toList();
  }

  /**
   * Ends one of a user's sessions, with {@link EndReason#REVOKED}.
   *
   * @param userId the user
   * @param handle the session's handle, as listed
   * @return 1 if it was ended, 0 if the user has no such live session
   */
  @DeleteOperation
  public Ended end(@Selector String userId, @Selector String handle) {
    return new Ended(store.deleteByHandle(userId, handle, EndReason.REVOKED) ? 1 : 0);
  }

  /**
   * Ends every session of a user, with {@link EndReason#ALL_REVOKED}.
   *
   * @param userId the user
   * @return how many were ended
   */
  @DeleteOperation
  public Ended endAll(@Selector String userId) {
    return new Ended(store.deleteAllForUser(userId, null, EndReason.ALL_REVOKED));
  }
}
