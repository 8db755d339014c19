package io.sessionkit.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.userdetails.User;

/** The registry over a real in-memory store. */
class SessionKitSessionRegistryTest {
  private final InMemorySessionStore store = InMemorySessionStore.create(SessionConfig.defaults());

  @AfterEach
  void close() {
    store.close();
  }

  private Session login(String user) {
    return store.login(null, user).sessionOrThrow();
  }

  @Test
  void listsTheUsersSessionsByHandleForEveryKindOfPrincipal() {
    Session one = login("alice");
    Session two = login("alice");
    login("bob");
    SessionKitSessionRegistry registry = SessionKitSessionRegistry.builder(store).build();
    User user = new User("alice", "", List.of());
    for (Object principal :
        List.of(
            "alice",
            user,
            UsernamePasswordAuthenticationToken.authenticated(user, null, List.of()))) {
      assertThat(registry.getAllSessions(principal, false))
          .extracting(SessionInformation::getSessionId)
          .containsExactlyInAnyOrder(one.handle(), two.handle());
    }
    assertThat(registry.getAllSessions("carol", true)).isEmpty();
    assertThat(registry.getAllPrincipals()).isEmpty();
    assertThat(registry.getSessionInformation(one.handle())).isNull();
  }

  @Test
  void expireNowEndsTheSessionInTheStoreWithTheConfiguredReason() {
    Session one = login("alice");
    Session two = login("alice");
    SessionKitSessionRegistry registry =
        SessionKitSessionRegistry.builder(store).expireReason(EndReason.REPLACED).build();
    SessionInformation info =
        registry.getAllSessions("alice", false).stream()
            .filter(i -> i.getSessionId().equals(one.handle()))
            .findFirst()
            .orElseThrow();
    info.expireNow();
    assertThat(info.isExpired()).isTrue();
    assertThat(store.access(one.id()).endReason()).contains(EndReason.REPLACED);
    assertThat(store.access(two.id()).isActive()).isTrue();
    assertThat(SessionKitSessionRegistry.builder(store).build().getAllSessions("alice", false))
        .hasSize(1);
  }

  @Test
  void theDefaultReasonIsRevokedAndAnExpiryIsNoReasonToDelete() {
    assertThat(SessionKitSessionRegistry.builder(store).build().expireReason())
        .isEqualTo(EndReason.REVOKED);
    assertThatThrownBy(
            () -> SessionKitSessionRegistry.builder(store).expireReason(EndReason.IDLE_TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IDLE_TIMEOUT");
    SessionKitSessionRegistry r =
        SessionKitSessionRegistry.builder(store).expireReason(EndReason.REPLACED).build();
    assertThat(r.toBuilder().build().expireReason()).isEqualTo(EndReason.REPLACED);
  }
}
