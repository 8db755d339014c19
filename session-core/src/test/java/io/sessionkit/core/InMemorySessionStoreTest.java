package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the contract suite does not reach: the bound, the metric, expiry reporting, bad codecs. */
class InMemorySessionStoreTest {
  private final TestClock clock = new TestClock();
  private final List<String> ended = new CopyOnWriteArrayList<>();
  private final SessionConfig config =
      SessionConfig.builder()
          .clock(clock)
          .ttlPolicy(TtlPolicy.idleAndAbsolute(Duration.ofMinutes(30), Duration.ofHours(8)))
          .tombstoneTtl(Duration.ofMinutes(10))
          .auditLogging(false)
          .addListener(
              new SessionListener() {
                @Override
                public void sessionEnded(SessionEvent event, EndReason reason) {
                  ended.add(event.handle() + " " + reason);
                }
              })
          .build();

  @Test
  void theBoundMustBePositive() {
    assertThatThrownBy(() -> InMemorySessionStore.create(config, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }

  @Test
  void backendOperationsCountsMapAccessesAndNothingForMalformedIds() {
    InMemorySessionStore store = InMemorySessionStore.create(config);
    assertThat(store.backendOperations()).isZero();
    Session s = store.create();
    long afterCreate = store.backendOperations();
    assertThat(afterCreate).isPositive();
    store.access(s.id());
    long afterAccess = store.backendOperations();
    assertThat(afterAccess).isGreaterThan(afterCreate);
    store.access("*");
    store.update("{x}", SessionChanges.builder().set("k", 1).build());
    store.delete("", EndReason.LOGOUT);
    store.renewId(null);
    assertThat(store.backendOperations()).isEqualTo(afterAccess);
  }

  @Test
  void anExpiredSessionTellsWhyForTheTombstoneTtlThenVanishes() {
    InMemorySessionStore store = InMemorySessionStore.create(config);
    Session a = store.create();
    Session b = store.create();
    clock.advance(Duration.ofMinutes(30).plusMillis(1));
    assertThat(store.access(a.id())).isEqualTo(AccessResult.ended(EndReason.IDLE_TIMEOUT));
    assertThat(ended).containsExactly(a.handle() + " IDLE_TIMEOUT");
    // found and removed once: no tombstone for an expiry
    assertThat(store.access(a.id())).isEqualTo(AccessResult.absent());
    // never presented within the tombstone time: forgotten without a reason
    clock.advance(Duration.ofMinutes(10));
    assertThat(store.access(b.id())).isEqualTo(AccessResult.absent());
  }

  @Test
  void anAbsoluteExpiryIsReportedAsSuch() {
    InMemorySessionStore store = InMemorySessionStore.create(config);
    Session s = store.create();
    for (int i = 0; i < 31; i++) {
      clock.advance(Duration.ofMinutes(15));
      assertThat(store.access(s.id()).isActive()).isTrue();
    }
    clock.advance(Duration.ofMinutes(15).plusMillis(1)); // 8 h + 1 ms, touched 15 min ago
    assertThat(store.access(s.id())).isEqualTo(AccessResult.ended(EndReason.ABSOLUTE_TIMEOUT));
  }

  @Test
  void beyondTheBoundTheLeastUsefulSessionsAreEvictedAndTheIndexStaysConsistent() {
    InMemorySessionStore store = InMemorySessionStore.create(config, 10);
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sessions.add(store.login(null, "user" + (i % 5)).sessionOrThrow());
    }
    long live =
        sessions.stream().filter(s -> store.access(s.id(), AccessMode.PASSIVE).isActive()).count();
    assertThat(live).isLessThanOrEqualTo(10).isPositive();
    int listed = 0;
    for (int u = 0; u < 5; u++) {
      for (SessionInfo info : store.listForUser("user" + u)) {
        listed++;
        assertThat(sessions).anySatisfy(s -> assertThat(s.handle()).isEqualTo(info.handle()));
      }
    }
    assertThat(listed).isEqualTo(live);
  }

  @Test
  void aCodecThatBreaksItsContractStillFailsAsAnEncodingErrorNamingTheAttribute() {
    AttributeCodec broken =
        new AttributeCodec() {
          @Override
          public String encode(String name, Object value) {
            throw new IllegalStateException("codec bug");
          }

          @Override
          public Object decode(String name, String encoded) {
            return encoded;
          }
        };
    InMemorySessionStore store =
        InMemorySessionStore.create(config.toBuilder().codec(broken).build());
    Session s = store.create();
    assertThatThrownBy(() -> store.update(s.id(), SessionChanges.builder().set("cart", 1).build()))
        .isInstanceOf(AttributeEncodingException.class)
        .hasMessageContaining("cart");
  }

  @Test
  void aBrokenRandomSourceFailsInsteadOfSharingASession() {
    SecureRandom constant =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) 7);
          }
        };
    InMemorySessionStore store =
        InMemorySessionStore.create(
            config.toBuilder()
                .idGenerator(SessionIdGenerator.builder().random(constant).build())
                .build());
    Session first = store.create();
    assertThatThrownBy(store::create)
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("random");
    store.login(null, "alice");
    assertThatThrownBy(() -> store.login(null, "alice")).isInstanceOf(SessionException.class);
    assertThat(store.access(first.id()).isActive()).isTrue();
  }

  @Test
  void anEndedSessionsIdIsNeverHandedOutAgain() {
    // the tombstone blocks the handle, so a repeated draw cannot revive a dead id's history
    SecureRandom repeating =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;
          private int draws;

          @Override
          public synchronized void nextBytes(byte[] bytes) {
            int seed = bytes.length <= 2 ? 0 : (draws++ < 2 ? 0 : draws);
            Arrays.fill(bytes, (byte) seed);
          }
        };
    InMemorySessionStore store =
        InMemorySessionStore.create(
            config.toBuilder()
                .idGenerator(SessionIdGenerator.builder().random(repeating).build())
                .build());
    Session first = store.create();
    store.delete(first.id(), EndReason.LOGOUT);
    Session second = store.create();
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(store.access(first.id()).endReason()).contains(EndReason.LOGOUT);
  }

  @Test
  void loginCarriesTheMetadataOfTheCurrentSessionWhenNoneIsGiven() {
    InMemorySessionStore store = InMemorySessionStore.create(config);
    SessionMetadata meta = SessionMetadata.of("browser", "Firefox", null, null);
    Session anonymous = store.create(SessionChanges.builder().metadata(meta).build());
    Session user = store.login(anonymous.id(), "alice").sessionOrThrow();
    assertThat(user.metadata()).isEqualTo(meta);
  }
}
