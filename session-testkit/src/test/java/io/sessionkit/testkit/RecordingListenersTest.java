package io.sessionkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.EndReason;
import io.sessionkit.core.SessionEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordingListenersTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void sessionEventsAreRecordedInOrderWithTheirArguments() {
    RecordingSessionListener l = new RecordingSessionListener();
    SessionEvent a = new SessionEvent("handleA", null, T);
    SessionEvent b = new SessionEvent("handleB", "alice", T);
    l.sessionCreated(a);
    l.sessionIdChanged(b, "handleA");
    l.sessionEnded(b, EndReason.LOGOUT);
    l.invalidIdPresented("access");
    l.attributeRejected(b, "cart");
    l.loginRejected("bob");
    assertThat(l.events())
        .extracting(RecordingSessionListener.Recorded::kind)
        .containsExactly(
            RecordingSessionListener.Kind.CREATED, RecordingSessionListener.Kind.ID_CHANGED,
            RecordingSessionListener.Kind.ENDED, RecordingSessionListener.Kind.INVALID_ID,
            RecordingSessionListener.Kind.ATTRIBUTE_REJECTED,
                RecordingSessionListener.Kind.LOGIN_REJECTED);
    assertThat(l.created()).containsExactly(a);
    assertThat(l.idChanges())
        .singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("handleA"));
    assertThat(l.endReasonsOf("handleB")).containsExactly(EndReason.LOGOUT);
    assertThat(l.endReasonsOf("handleA")).isEmpty();
    assertThat(l.invalidIdSources()).containsExactly("access");
    assertThat(l.rejectedAttributes()).containsExactly("cart");
    assertThat(l.rejectedLogins()).containsExactly("bob");
    l.clear();
    assertThat(l.events()).isEmpty();
  }

  @Test
  void revocationEventsAreRecordedWithTheirArguments() {
    RecordingRevocationListener l = new RecordingRevocationListener();
    l.tokenRevoked("digest", "alice");
    l.userRevoked("bob", T);
    l.allRevoked(T.plusSeconds(1));
    l.refreshTokenReused("family", "carol");
    assertThat(l.events())
        .containsExactly(
            new RecordingRevocationListener.Recorded(
                RecordingRevocationListener.Kind.TOKEN_REVOKED, "digest", "alice", null),
            new RecordingRevocationListener.Recorded(
                RecordingRevocationListener.Kind.USER_REVOKED, "bob", "bob", T),
            new RecordingRevocationListener.Recorded(
                RecordingRevocationListener.Kind.ALL_REVOKED, null, null, T.plusSeconds(1)),
            new RecordingRevocationListener.Recorded(
                RecordingRevocationListener.Kind.REFRESH_TOKEN_REUSED, "family", "carol", null));
    assertThat(l.events(RecordingRevocationListener.Kind.USER_REVOKED)).hasSize(1);
    l.clear();
    assertThat(l.events()).isEmpty();
  }

  @Test
  void recordingIsSafeFromManyThreads() throws Exception {
    RecordingSessionListener l = new RecordingSessionListener();
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 500; i++) {
                  l.invalidIdPresented("access");
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(l.invalidIdSources()).hasSize(4000);
  }
}
