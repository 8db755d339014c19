package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {
  private final List<String> heard = new ArrayList<>();
  private final SessionEvent event = new SessionEvent("h".repeat(22), "alice", Instant.EPOCH);

  @Test
  void aThrowingSessionListenerDoesNotStopTheNextOne() {
    SessionListener throwing =
        new SessionListener() {
          @Override
          public void sessionEnded(SessionEvent e, EndReason reason) {
            throw new IllegalStateException("boom");
          }
        };
    SessionListener recording =
        new SessionListener() {
          @Override
          public void sessionEnded(SessionEvent e, EndReason reason) {
            heard.add("ended " + reason);
          }
        };
    SessionListeners all =
        SessionListeners.of(
            SessionConfig.builder()
                .addListener(throwing)
                .addListener(recording)
                .auditLogging(false)
                .build());
    all.sessionEnded(event, EndReason.LOGOUT);
    all.sessionEnded(event, EndReason.REVOKED);
    assertThat(heard).containsExactly("ended LOGOUT", "ended REVOKED");
  }

  @Test
  void theAuditLogJoinsOnlyWhenAuditLoggingIsOn() {
    assertThat(SessionListeners.of(SessionConfig.builder().auditLogging(false).build()).isEmpty())
        .isTrue();
    assertThat(SessionListeners.of(SessionConfig.builder().auditLogging(true).build()).isEmpty())
        .isFalse();
    // delivering to the audit log must not fail either
    SessionListeners.of(SessionConfig.builder().auditLogging(true).build())
        .invalidIdPresented("test\r\n");
    assertThat(AuditLog.instance()).isNotNull();
  }

  @Test
  void aThrowingRevocationListenerDoesNotStopTheNextOne() {
    RevocationListener throwing =
        new RevocationListener() {
          @Override
          public void allRevoked(Instant notBefore) {
            throw new IllegalStateException("boom");
          }
        };
    RevocationListener recording =
        new RevocationListener() {
          @Override
          public void allRevoked(Instant notBefore) {
            heard.add("all " + notBefore);
          }
        };
    RevocationListeners all =
        RevocationListeners.of(
            RevocationConfig.builder()
                .addListener(throwing)
                .addListener(recording)
                .auditLogging(false)
                .build());
    all.allRevoked(Instant.EPOCH);
    assertThat(heard).containsExactly("all 1970-01-01T00:00:00Z");
  }
}
