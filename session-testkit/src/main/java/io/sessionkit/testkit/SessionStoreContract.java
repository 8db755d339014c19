package io.sessionkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.AttributeEncodingException;
import io.sessionkit.core.CarryOver;
import io.sessionkit.core.Digests;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionEvent;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.SessionIdGenerator;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionListener;
import io.sessionkit.core.SessionMetadata;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.SessionStoreCore;
import io.sessionkit.core.SessionTooLargeException;
import io.sessionkit.core.Timeouts;
import io.sessionkit.core.TtlPolicy;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link SessionStore} must have, specified once. An implementation runs it
 * through a small subclass:
 *
 * <pre>{@code
 * class MyStoreContractTest extends SessionStoreContract {
 *   protected SessionStore newStore(SessionConfig config) { return MyStore.create(config); }
 *   protected long backendOperations(SessionStore store) { return ((MyStore) store).operations(); }
 * }
 * }</pre>
 *
 * <p>The contract owns a {@link MutableClock} ({@link #clock}) and a {@link
 * RecordingSessionListener} ({@link #events}) and puts both into every configuration it builds, so
 * tests move time instead of sleeping and assert on events. Every store made through {@link
 * #store(Consumer)} is closed after each test; {@link #cleanSharedState()} lets a subclass whose
 * stores share a backend (one Redis server) wipe it before each test.
 *
 * <p>Default policy of the suite: {@link #IDLE} idle, {@link #ABSOLUTE} absolute, touch interval
 * {@link #TOUCH} (effective touch interval {@link #TOUCH}), tombstones {@link #TOMBSTONE}.
 *
 * <p>Expiry is checked a millisecond ({@link #EPSILON}) either side of the exact instant, never at
 * the instant itself, which the contract leaves open.
 */
public abstract class SessionStoreContract {
  /** Idle timeout of the suite's default policy: 30 minutes. */
  protected static final Duration IDLE = Duration.ofMinutes(30);

  /** Absolute timeout of the suite's default policy: 8 hours. */
  protected static final Duration ABSOLUTE = Duration.ofHours(8);

  /** Touch interval of the suite's default policy: 60 seconds (below a tenth of {@link #IDLE}). */
  protected static final Duration TOUCH = Duration.ofSeconds(60);

  /** A store of the usual timeouts whose every access touches the session (touch interval 0). */
  private SessionStore storeTouchingOnEveryAccess() {
    return store(
        b ->
            b.ttlPolicy(
                TtlPolicy.builder()
                    .idleTimeout(IDLE)
                    .absoluteTimeout(ABSOLUTE)
                    .touchInterval(Duration.ZERO)
                    .build()));
  }

  /** Tombstone lifetime of the suite's default configuration: 10 minutes. */
  protected static final Duration TOMBSTONE = Duration.ofMinutes(10);

  /** The margin either side of an expiry instant: 1 ms. */
  protected static final Duration EPSILON = Duration.ofMillis(1);

  /** The clock of every store the contract builds. */
  protected final MutableClock clock = MutableClock.startingNow();

  /** Records the events of every store the contract builds. */
  protected final RecordingSessionListener events = new RecordingSessionListener();

  private final List<SessionStore> stores = new CopyOnWriteArrayList<>();
  private @Nullable SessionStore defaultStore;

  /** For subclasses. */
  protected SessionStoreContract() {}

  /**
   * Makes the store under test.
   *
   * @param config the configuration, with the contract's clock and listener
   * @return a new store; the contract closes it after the test
   */
  protected abstract SessionStore newStore(SessionConfig config);

  /**
   * How many operations reached the backend through this store so far (Redis commands for a Redis
   * store). Used to assert that malformed input causes none.
   *
   * @param store a store made by {@link #newStore(SessionConfig)}
   * @return a monotonic count
   */
  protected abstract long backendOperations(SessionStore store);

  /**
   * Wipes state shared between tests (for example flushes a Redis database). Called before each
   * test, before any store is made. The default does nothing.
   */
  protected void cleanSharedState() {}

  /**
   * A second store over the same backend as {@code first}, as another server of the application
   * would have (for Redis: a new client on the same server). The default returns {@code first}
   * itself, which is right for a store whose state lives in one process; a store whose instances
   * share state must override this so that the "across servers" tests exercise two instances.
   *
   * @param config the configuration {@code first} was made with
   * @param first a store made by {@link #newStore(SessionConfig)}
   * @return a store that sees the same sessions; closed after the test if it is not {@code first}
   */
  protected SessionStore newPeerStore(SessionConfig config, SessionStore first) {
    return first;
  }

  @BeforeEach
  final void setUpContract() {
    cleanSharedState();
  }

  @AfterEach
  final void closeStores() {
    for (SessionStore s : stores) {
      s.close();
    }
    stores.clear();
    defaultStore = null;
  }

  /**
   * The suite's default configuration: the default policy, the contract's clock and listener, audit
   * logging off.
   *
   * @return a new builder
   */
  protected SessionConfig.Builder baseConfig() {
    return SessionConfig.builder()
        .ttlPolicy(
            TtlPolicy.builder()
                .idleTimeout(IDLE)
                .absoluteTimeout(ABSOLUTE)
                .touchInterval(TOUCH)
                .build())
        .clock(clock)
        .addListener(events)
        .auditLogging(false)
        .tombstoneTtl(TOMBSTONE);
  }

  /**
   * A store with the default configuration changed by {@code customizer}; closed after the test.
   *
   * @param customizer changes to {@link #baseConfig()}
   * @return the store
   */
  protected final SessionStore store(Consumer<SessionConfig.Builder> customizer) {
    SessionConfig.Builder b = baseConfig();
    customizer.accept(b);
    SessionStore s = newStore(b.build());
    stores.add(s);
    return s;
  }

  /**
   * A second store over the same backend as {@code first} (see {@link #newPeerStore}).
   *
   * @param first a store made through the contract
   * @return its peer, closed after the test
   */
  protected final SessionStore peerOf(SessionStore first) {
    SessionStore peer = newPeerStore(first.config(), first);
    if (peer != first) {
      stores.add(peer);
    }
    return peer;
  }

  /**
   * The store with the default configuration, made on first use in each test.
   *
   * @return the store
   */
  protected final synchronized SessionStore store() {
    SessionStore s = defaultStore;
    if (s == null) {
      s = store(b -> {});
      defaultStore = s;
    }
    return s;
  }

  // ---------------------------------------------------------------- helpers

  private static SessionChanges set(String name, Object value) {
    return SessionChanges.builder().set(name, value).build();
  }

  private static Session login(SessionStore store, String user) {
    return store.login(null, user).sessionOrThrow();
  }

  private static Session login(SessionStore store, String user, String deviceType) {
    return store
        .login(
            null,
            user,
            LoginOptions.builder().metadata(SessionMetadata.ofDeviceType(deviceType)).build())
        .sessionOrThrow();
  }

  private static boolean live(SessionStore store, String id) {
    return store.access(id, AccessMode.PASSIVE).isActive();
  }

  private static Session liveSession(SessionStore store, String id) {
    AccessResult r = store.access(id, AccessMode.PASSIVE);
    assertThat(r.isActive()).as("session expected live, was %s", r).isTrue();
    return r.session().orElseThrow();
  }

  private static Set<String> handles(List<SessionInfo> infos) {
    return infos.stream().map(SessionInfo::handle).collect(Collectors.toSet());
  }

  private static void assertEndedOrAbsent(AccessResult r, EndReason allowed) {
    assertThat(r.isActive()).as("expected the session to be gone, was %s", r).isFalse();
    r.endReason()
        .ifPresent(reason -> assertThat(reason).as("reported end reason").isEqualTo(allowed));
  }

  // ---------------------------------------------------------------- behaviours

  @Nested
  @DisplayName("creating a session")
  class Creation {
    @Test
    void newSessionIsAnonymousWithTimesFromTheClock() {
      Instant now = clock.instant();
      Session s = store().create();
      assertThat(s.userId()).isEmpty();
      assertThat(s.createdAt()).isEqualTo(now);
      assertThat(s.lastAccessedAt()).isEqualTo(now);
      assertThat(s.expiresAt()).isEqualTo(now.plus(IDLE));
      assertThat(s.info().authenticatedAt()).isEmpty();
      assertThat(s.attributeNames()).isEmpty();
      assertThat(s.timeouts()).isEqualTo(Timeouts.of(IDLE, ABSOLUTE));
    }

    @Test
    void newIdIsWellFormedAndItsHandleIsItsDigest() {
      Session s = store().create();
      assertThat(store().config().idGenerator().isWellFormed(s.id())).isTrue();
      assertThat(s.handle()).isEqualTo(Digests.handleOf(s.id())).doesNotContain(s.id());
    }

    @Test
    void initialAttributesAndMetadataAreReadBack() {
      SessionMetadata meta =
          SessionMetadata.of("browser", "Firefox on Linux", "Mozilla/5.0", "192.0.2.1");
      Session s =
          store()
              .create(
                  SessionChanges.builder().set("theme", "dark").set("n", 3).metadata(meta).build());
      Session read = liveSession(store(), s.id());
      assertThat(read.attribute("theme")).contains("dark");
      assertThat(read.attribute("n")).contains(3);
      assertThat(read.metadata()).isEqualTo(meta);
    }

    @Test
    void initialTimeoutsOverrideThePolicy() {
      Timeouts longer = Timeouts.of(Duration.ofHours(2), Duration.ofDays(1));
      Session s = store().create(SessionChanges.builder().timeouts(longer).build());
      assertThat(s.timeouts()).isEqualTo(longer);
      clock.advance(Duration.ofHours(1));
      assertThat(live(store(), s.id())).isTrue();
    }

    @Test
    void twoSessionsAreIndependent() {
      Session a = store().create(set("k", "a"));
      Session b = store().create(set("k", "b"));
      assertThat(a.id()).isNotEqualTo(b.id());
      store().delete(a.id(), EndReason.LOGOUT);
      assertThat(liveSession(store(), b.id()).attribute("k")).contains("b");
    }
  }

  @Nested
  @DisplayName("idle expiry")
  class IdleExpiry {
    @Test
    void aliveJustBeforeTheIdleTimeout() {
      Session s = store().create();
      clock.advance(IDLE.minus(EPSILON));
      assertThat(store().access(s.id()).isActive()).isTrue();
    }

    @Test
    void goneJustAfterTheIdleTimeout() {
      Session s = store().create();
      clock.advance(IDLE.plus(EPSILON));
      assertEndedOrAbsent(store().access(s.id()), EndReason.IDLE_TIMEOUT);
    }

    @Test
    void activityKeepsASessionAlivePastManyIdlePeriods() {
      Session s = store().create();
      for (int i = 0; i < 10; i++) {
        clock.advance(IDLE.minus(Duration.ofMinutes(2)));
        assertThat(store().access(s.id()).isActive()).as("access %d", i).isTrue();
      }
      assertThat(clock.instant()).isAfter(s.createdAt().plus(IDLE.multipliedBy(5)));
    }

    @Test
    void anUpdateAloneDoesNotCountAsActivity() {
      Session s = store().create();
      clock.advance(IDLE.dividedBy(2));
      assertThat(store().update(s.id(), set("k", "v"))).isTrue();
      clock.advance(IDLE.dividedBy(2).plus(EPSILON));
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void expiredSessionIsGoneForUpdateAndList() {
      Session s = login(store(), "alice");
      clock.advance(IDLE.plus(EPSILON));
      assertThat(store().update(s.id(), set("k", "v"))).isFalse();
      assertThat(store().listForUser("alice")).isEmpty();
      assertThat(live(store(), s.id())).isFalse();
    }
  }

  @Nested
  @DisplayName("absolute expiry")
  class AbsoluteExpiry {
    @Test
    void activityNeverExtendsPastTheAbsoluteTimeout() {
      Session s = store().create();
      Instant deadline = s.createdAt().plus(ABSOLUTE);
      while (clock.instant().plus(IDLE.dividedBy(2)).isBefore(deadline)) {
        clock.advance(IDLE.dividedBy(2));
        assertThat(store().access(s.id()).isActive()).as("at %s", clock.instant()).isTrue();
      }
      clock.set(deadline.minus(EPSILON));
      assertThat(store().access(s.id()).isActive()).isTrue();
      clock.set(deadline.plus(EPSILON));
      assertEndedOrAbsent(store().access(s.id()), EndReason.ABSOLUTE_TIMEOUT);
    }

    @Test
    void expiresAtIsTheEarlierOfBothTimeouts() {
      Session s = store().create();
      Instant target = s.createdAt().plus(ABSOLUTE).minus(Duration.ofMinutes(10));
      while (clock.instant().plus(IDLE.dividedBy(2)).isBefore(target)) {
        clock.advance(IDLE.dividedBy(2));
        store().access(s.id());
      }
      clock.set(target);
      // touched 10 minutes before the absolute deadline: the idle deadline would be 20 minutes
      // later
      Session touched = store().access(s.id()).session().orElseThrow();
      assertThat(touched.expiresAt()).isEqualTo(s.createdAt().plus(ABSOLUTE));
    }

    @Test
    void absoluteOnlyPolicyEndsAtTheDeadlineWithoutActivity() {
      SessionStore store = store(b -> b.ttlPolicy(TtlPolicy.absolute(Duration.ofHours(1))));
      Session s = store.create();
      clock.advance(Duration.ofHours(1).minus(EPSILON));
      assertThat(live(store, s.id())).isTrue();
      clock.advance(EPSILON.multipliedBy(2));
      assertEndedOrAbsent(store.access(s.id()), EndReason.ABSOLUTE_TIMEOUT);
    }

    @Test
    void idleOnlyPolicyLivesAsLongAsItIsUsed() {
      SessionStore store = store(b -> b.ttlPolicy(TtlPolicy.idle(Duration.ofMinutes(10))));
      Session s = store.create();
      for (int i = 0; i < 200; i++) {
        clock.advance(Duration.ofMinutes(9));
        assertThat(store.access(s.id()).isActive()).as("access %d", i).isTrue();
      }
      clock.advance(Duration.ofMinutes(10).plus(EPSILON));
      assertEndedOrAbsent(store.access(s.id()), EndReason.IDLE_TIMEOUT);
    }
  }

  @Nested
  @DisplayName("per-session timeouts")
  class PerSessionTimeouts {
    @Test
    void updateWithLongerTimeoutsExtendsTheSession() {
      Session s = store().create();
      Timeouts longer = Timeouts.of(Duration.ofHours(2), Duration.ofDays(1));
      assertThat(store().update(s.id(), SessionChanges.builder().timeouts(longer).build()))
          .isTrue();
      clock.advance(Duration.ofHours(2).minus(EPSILON));
      Session read = liveSession(store(), s.id());
      assertThat(read.timeouts()).isEqualTo(longer);
      clock.advance(EPSILON.multipliedBy(2));
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void updateWithShorterTimeoutsShortensTheSession() {
      Session s = store().create();
      store()
          .update(
              s.id(),
              SessionChanges.builder().timeouts(Timeouts.idle(Duration.ofMinutes(5))).build());
      clock.advance(Duration.ofMinutes(5).plus(EPSILON));
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void rememberMeLoginOutlivesThePolicy() {
      Timeouts rememberMe = Timeouts.of(Duration.ofDays(7), Duration.ofDays(30));
      Session s =
          store()
              .login(null, "alice", LoginOptions.builder().timeouts(rememberMe).build())
              .sessionOrThrow();
      assertThat(s.timeouts()).isEqualTo(rememberMe);
      clock.advance(Duration.ofDays(7).minus(EPSILON));
      assertThat(store().access(s.id()).isActive()).isTrue();
      clock.advance(Duration.ofDays(7).plus(EPSILON));
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void overrideSurvivesRenewId() {
      Timeouts longer = Timeouts.idle(Duration.ofHours(3));
      Session s = store().create(SessionChanges.builder().timeouts(longer).build());
      Session renewed = store().renewId(s.id()).orElseThrow();
      assertThat(renewed.timeouts()).isEqualTo(longer);
      clock.advance(Duration.ofHours(2));
      assertThat(live(store(), renewed.id())).isTrue();
    }
  }

  @Nested
  @DisplayName("touch coalescing")
  class TouchCoalescing {
    @Test
    void lastAccessedAtIsNotRewrittenWithinTheTouchInterval() {
      Session s = store().create();
      clock.advance(TOUCH.minus(EPSILON));
      assertThat(store().access(s.id()).session().orElseThrow().lastAccessedAt())
          .isEqualTo(s.createdAt());
      assertThat(liveSession(store(), s.id()).lastAccessedAt()).isEqualTo(s.createdAt());
    }

    @Test
    void lastAccessedAtIsRewrittenOnceTheTouchIntervalPassed() {
      Session s = store().create();
      Instant later = clock.advance(TOUCH);
      assertThat(store().access(s.id()).session().orElseThrow().lastAccessedAt()).isEqualTo(later);
      assertThat(liveSession(store(), s.id()).lastAccessedAt()).isEqualTo(later);
    }

    @Test
    void effectiveIntervalIsATenthOfAShortIdleTimeout() {
      // idle 5 min: effective interval = 30 s, below the configured 60 s
      SessionStore store =
          store(
              b ->
                  b.ttlPolicy(
                      TtlPolicy.builder()
                          .idleTimeout(Duration.ofMinutes(5))
                          .absoluteTimeout(null)
                          .touchInterval(TOUCH)
                          .build()));
      Session s = store.create();
      Instant later = clock.advance(Duration.ofSeconds(30));
      assertThat(store.access(s.id()).session().orElseThrow().lastAccessedAt()).isEqualTo(later);
    }

    @Test
    void expiryIsNeverEarlierThanExactByMoreThanTheInterval() {
      Session s = store().create();
      Instant lastRequest = s.createdAt();
      for (int i = 0; i < 50; i++) {
        lastRequest = clock.advance(Duration.ofSeconds(25));
        assertThat(store().access(s.id()).isActive()).isTrue();
      }
      clock.set(lastRequest.plus(IDLE).minus(TOUCH).minus(EPSILON));
      assertThat(live(store(), s.id())).isTrue();
      clock.set(lastRequest.plus(IDLE).plus(EPSILON));
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void zeroTouchIntervalWritesOnEveryAccess() {
      SessionStore store = storeTouchingOnEveryAccess();
      Session s = store.create();
      Instant later = clock.advanceMillis(1);
      assertThat(store.access(s.id()).session().orElseThrow().lastAccessedAt()).isEqualTo(later);
    }
  }

  @Nested
  @DisplayName("passive access")
  class PassiveAccess {
    @Test
    void passiveAccessNeverExtendsTheIdleTimeout() {
      Session s = store().create();
      clock.advance(IDLE.dividedBy(2));
      assertThat(store().access(s.id(), AccessMode.PASSIVE).isActive()).isTrue();
      clock.advance(IDLE.dividedBy(2).minus(EPSILON));
      assertThat(store().access(s.id(), AccessMode.PASSIVE).isActive()).isTrue();
      clock.advance(EPSILON.multipliedBy(2));
      assertThat(store().access(s.id(), AccessMode.PASSIVE).isActive()).isFalse();
    }

    @Test
    void passiveAccessLeavesLastAccessedAtAlone() {
      Session s = store().create();
      clock.advance(TOUCH.multipliedBy(3));
      assertThat(
              store().access(s.id(), AccessMode.PASSIVE).session().orElseThrow().lastAccessedAt())
          .isEqualTo(s.createdAt());
      assertThat(
              store().access(s.id(), AccessMode.PASSIVE).session().orElseThrow().lastAccessedAt())
          .isEqualTo(s.createdAt());
    }

    @Test
    void passiveAccessReadsAttributes() {
      Session s = store().create(set("k", "v"));
      assertThat(store().access(s.id(), AccessMode.PASSIVE).session().orElseThrow().attribute("k"))
          .contains("v");
    }
  }

  @Nested
  @DisplayName("no resurrection")
  class NoResurrection {
    @Test
    void updateAfterDeleteWritesNothing() {
      Session s = store().create(set("a", 1));
      store().delete(s.id(), EndReason.LOGOUT);
      assertThat(store().update(s.id(), set("b", 2))).isFalse();
      assertThat(live(store(), s.id())).isFalse();
      clock.advance(TOMBSTONE.plus(EPSILON));
      assertThat(store().update(s.id(), set("b", 2))).isFalse();
      assertThat(store().access(s.id())).isEqualTo(AccessResult.absent());
    }

    @Test
    void updateAfterExpiryWritesNothing() {
      Session s = store().create(set("a", 1));
      clock.advance(IDLE.plus(EPSILON));
      assertThat(store().update(s.id(), set("b", 2))).isFalse();
      assertThat(store().access(s.id()).isActive()).isFalse();
    }

    @Test
    void renewIdOfADeletedSessionCreatesNothing() {
      Session s = store().create(set("a", 1));
      store().delete(s.id(), EndReason.LOGOUT);
      assertThat(store().renewId(s.id())).isEmpty();
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void renewIdOfAnExpiredSessionCreatesNothing() {
      Session s = store().create(set("a", 1));
      clock.advance(IDLE.plus(EPSILON));
      assertThat(store().renewId(s.id())).isEmpty();
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void loginWithADeadIdStartsAFreshSessionWithoutTheOldAttributes() {
      Session s = store().create(set("a", 1));
      store().delete(s.id(), EndReason.LOGOUT);
      Session fresh = store().login(s.id(), "alice").sessionOrThrow();
      assertThat(fresh.id()).isNotEqualTo(s.id());
      assertThat(fresh.attributeNames()).isEmpty();
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void loginWithAnExpiredIdStartsAFreshSession() {
      Session s = store().create(set("a", 1));
      clock.advance(IDLE.plus(EPSILON));
      Session fresh = store().login(s.id(), "alice").sessionOrThrow();
      assertThat(fresh.attributeNames()).isEmpty();
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void oldIdAfterRenewIdIsAbsent() {
      Session s = store().create(set("a", 1));
      assertThat(store().renewId(s.id())).isPresent();
      assertThat(store().access(s.id())).isEqualTo(AccessResult.absent());
      assertThat(store().update(s.id(), set("b", 2))).isFalse();
      assertThat(store().renewId(s.id())).isEmpty();
    }

    @Test
    void writesRacingWithLogoutNeverRecreateTheSession() throws Exception {
      Session s = store().create();
      AtomicBoolean deleted = new AtomicBoolean();
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 7; t++) {
        int n = t;
        tasks.add(
            () -> {
              for (int i = 0; i < 50; i++) {
                store().update(s.id(), set("w" + n, i));
                store().access(s.id());
              }
              return true;
            });
      }
      tasks.add(() -> deleted.compareAndSet(false, store().delete(s.id(), EndReason.LOGOUT)));
      Races.race(tasks);
      assertThat(deleted).isTrue();
      assertThat(store().access(s.id()).isActive()).isFalse();
      assertThat(store().update(s.id(), set("late", 1))).isFalse();
      clock.advance(TOMBSTONE.plus(EPSILON));
      assertThat(store().access(s.id()).isActive()).isFalse();
    }
  }

  @Nested
  @DisplayName("concurrent writes")
  class ConcurrentWrites {
    @Test
    void sixteenThreadsWritingDistinctAttributesAllLand() throws Exception {
      Session s = store().create();
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int n = t;
        tasks.add(() -> store().update(s.id(), set("attr" + n, n)));
      }
      assertThat(Races.race(tasks)).containsOnly(true);
      Session read = liveSession(store(), s.id());
      for (int t = 0; t < 16; t++) {
        assertThat(read.attribute("attr" + t)).as("attr%d", t).contains(t);
      }
    }

    @Test
    void writesAndRemovalsOfDistinctAttributesAllLand() throws Exception {
      SessionChanges.Builder initial = SessionChanges.builder();
      for (int t = 0; t < 8; t++) {
        initial.set("old" + t, t);
      }
      Session s = store().create(initial.build());
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int n = t;
        tasks.add(() -> store().update(s.id(), set("new" + n, n)));
        tasks.add(() -> store().update(s.id(), SessionChanges.builder().remove("old" + n).build()));
      }
      Races.race(tasks);
      Session read = liveSession(store(), s.id());
      assertThat(read.attributeNames())
          .containsExactlyInAnyOrder(
              "new0", "new1", "new2", "new3", "new4", "new5", "new6", "new7");
    }

    @Test
    void touchesDoNotLoseConcurrentAttributeWrites() throws Exception {
      SessionStore store = storeTouchingOnEveryAccess();
      Session s = store.create();
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int n = t;
        tasks.add(() -> store.update(s.id(), set("attr" + n, n)));
        tasks.add(
            () -> {
              for (int i = 0; i < 20; i++) {
                clock.advanceMillis(1);
                store.access(s.id());
              }
              return true;
            });
      }
      Races.race(tasks);
      assertThat(liveSession(store, s.id()).attributeNames()).hasSize(8);
    }

    @Test
    void concurrentCreatesYieldDistinctSessions() throws Exception {
      SessionStore store = store();
      List<Callable<Session>> tasks = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int n = t;
        tasks.add(() -> store.create(set("n", n)));
      }
      List<Session> created = Races.race(tasks);
      assertThat(created.stream().map(Session::id).distinct()).hasSize(16);
      for (Session s : created) {
        assertThat(liveSession(store, s.id()).attribute("n")).isEqualTo(s.attribute("n"));
      }
    }
  }

  @Nested
  @DisplayName("login limits")
  class LoginLimits {
    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {1, 3})
    void racingLoginsEndWithExactlyTheLimit(int limit) throws Exception {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(limit, OnLimit.EVICT_OLDEST)));
      List<Callable<LoginResult>> tasks = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        tasks.add(() -> store.login(null, "alice"));
      }
      List<LoginResult> results = Races.race(tasks);
      assertThat(results).allMatch(LoginResult::isAccepted);
      assertThat(store.listForUser("alice")).hasSize(limit);
      // every eviction is reported by exactly one login
      assertThat(results.stream().mapToInt(r -> ((LoginResult.Accepted) r).evicted().size()).sum())
          .isEqualTo(16 - limit);
      long live = results.stream().filter(r -> live(store, r.sessionOrThrow().id())).count();
      assertThat(live).isEqualTo(limit);
      assertThat(handles(store.listForUser("alice")))
          .isEqualTo(
              results.stream()
                  .map(LoginResult::sessionOrThrow)
                  .filter(x -> live(store, x.id()))
                  .map(Session::handle)
                  .collect(Collectors.toSet()));
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {1, 3})
    void racingLoginsUnderRejectNewAcceptExactlyTheLimit(int limit) throws Exception {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(limit, OnLimit.REJECT_NEW)));
      List<Callable<LoginResult>> tasks = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        tasks.add(() -> store.login(null, "alice"));
      }
      List<LoginResult> results = Races.race(tasks);
      assertThat(results.stream().filter(LoginResult::isAccepted)).hasSize(limit);
      assertThat(store.listForUser("alice")).hasSize(limit);
    }

    @Test
    void rejectNewRefusesTheLoginBeyondTheLimitAndKeepsTheCurrentSession() {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(2, OnLimit.REJECT_NEW)));
      Session first = login(store, "alice");
      Session second = login(store, "alice");
      Session anonymous = store.create(set("cart", "book"));
      LoginResult third = store.login(anonymous.id(), "alice");
      assertThat(third).isEqualTo(new LoginResult.Rejected(2, false));
      assertThat(liveSession(store, anonymous.id()).attribute("cart")).contains("book");
      assertThat(liveSession(store, anonymous.id()).userId()).isEmpty();
      assertThat(live(store, first.id())).isTrue();
      assertThat(live(store, second.id())).isTrue();
      assertThat(store.listForUser("alice")).hasSize(2);
      assertThat(events.rejectedLogins()).containsExactly("alice");
    }

    @Test
    void evictOldestEndsTheLeastRecentlyActiveSession() {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(3, OnLimit.EVICT_OLDEST)));
      Session a = login(store, "alice");
      clock.advance(TOUCH);
      Session b = login(store, "alice");
      clock.advance(TOUCH);
      Session c = login(store, "alice");
      clock.advance(TOUCH);
      store.access(a.id()); // a is now the most recently active; b is the least
      clock.advance(TOUCH);
      LoginResult.Accepted d = (LoginResult.Accepted) store.login(null, "alice");
      assertThat(d.evicted()).extracting(SessionInfo::handle).containsExactly(b.handle());
      assertThat(store.access(b.id()).endReason()).contains(EndReason.REPLACED);
      assertThat(live(store, a.id())).isTrue();
      assertThat(live(store, c.id())).isTrue();
      assertThat(live(store, d.session().id())).isTrue();
      assertThat(events.endReasonsOf(b.handle())).containsExactly(EndReason.REPLACED);
    }

    @Test
    void evictOldestBreaksTiesByCreationTime() {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(2, OnLimit.EVICT_OLDEST)));
      Session a = login(store, "alice");
      clock.advance(EPSILON);
      Session b = login(store, "alice");
      // within the touch interval neither lastAccessedAt moves, so a (created first) goes
      clock.advance(EPSILON);
      login(store, "alice");
      assertThat(live(store, a.id())).isFalse();
      assertThat(live(store, b.id())).isTrue();
    }

    @Test
    void perDeviceTypeLimitEvictsOnlyThatType() {
      SessionStore store =
          store(
              b ->
                  b.loginPolicy(
                      LoginPolicy.builder()
                          .maxSessionsPerUser(5)
                          .maxSessionsPerDeviceType(1)
                          .onLimit(OnLimit.EVICT_OLDEST)
                          .build()));
      Session phone1 = login(store, "alice", "phone");
      Session browser = login(store, "alice", "browser");
      clock.advance(TOUCH);
      Session phone2 = login(store, "alice", "phone");
      assertThat(store.access(phone1.id()).endReason()).contains(EndReason.REPLACED);
      assertThat(live(store, browser.id())).isTrue();
      assertThat(live(store, phone2.id())).isTrue();
      assertThat(store.listForUser("alice")).hasSize(2);
    }

    @Test
    void perDeviceTypeLimitRejectsUnderRejectNew() {
      SessionStore store =
          store(
              b ->
                  b.loginPolicy(
                      LoginPolicy.builder()
                          .maxSessionsPerDeviceType(1)
                          .onLimit(OnLimit.REJECT_NEW)
                          .build()));
      Session phone1 = login(store, "alice", "phone");
      LoginResult second =
          store.login(
              null,
              "alice",
              LoginOptions.builder().metadata(SessionMetadata.ofDeviceType("phone")).build());
      assertThat(second).isEqualTo(new LoginResult.Rejected(1, true));
      assertThat(live(store, phone1.id())).isTrue();
      assertThat(login(store, "alice", "browser")).isNotNull();
    }

    @Test
    void sessionsWithoutDeviceTypeCountOnlyAgainstTheUserLimit() {
      SessionStore store =
          store(
              b ->
                  b.loginPolicy(
                      LoginPolicy.builder()
                          .maxSessionsPerDeviceType(1)
                          .onLimit(OnLimit.REJECT_NEW)
                          .build()));
      login(store, "alice");
      login(store, "alice");
      login(store, "alice");
      assertThat(store.listForUser("alice")).hasSize(3);
    }

    @Test
    void limitsAreCountedPerUser() {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.EVICT_OLDEST)));
      Session alice = login(store, "alice");
      Session bob = login(store, "bob");
      assertThat(live(store, alice.id())).isTrue();
      assertThat(live(store, bob.id())).isTrue();
    }

    @Test
    void expiredSessionsDoNotCountAgainstTheLimit() {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.REJECT_NEW)));
      login(store, "alice");
      // Counting is a decision that denies: a session counts until it has expired by more than
      // the clock skew allowed between servers.
      clock.advance(IDLE.plus(store.config().clockSkew()).plus(EPSILON));
      assertThat(store.login(null, "alice").isAccepted()).isTrue();
    }

    @Test
    void reLoginFromTheUsersOwnSessionStaysWithinTheLimit() {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.REJECT_NEW)));
      Session first = login(store, "alice");
      LoginResult again = store.login(first.id(), "alice");
      assertThat(again.isAccepted()).isTrue();
      assertThat(live(store, first.id())).isFalse();
      assertThat(store.listForUser("alice"))
          .extracting(SessionInfo::handle)
          .containsExactly(again.sessionOrThrow().handle());
    }
  }

  @Nested
  @DisplayName("renewing an id")
  class RenewId {
    @Test
    void renewIdKeepsEverythingButTheId() {
      SessionMetadata meta = SessionMetadata.ofDeviceType("browser");
      Session s =
          store()
              .login(null, "alice", LoginOptions.builder().metadata(meta).build())
              .sessionOrThrow();
      store().update(s.id(), set("cart", List.of("book")));
      clock.advance(TOUCH);
      Session renewed = store().renewId(s.id()).orElseThrow();
      assertThat(renewed.id()).isNotEqualTo(s.id());
      assertThat(renewed.handle()).isNotEqualTo(s.handle());
      assertThat(renewed.userId()).contains("alice");
      assertThat(renewed.createdAt()).isEqualTo(s.createdAt());
      assertThat(renewed.info().authenticatedAt()).isEqualTo(s.info().authenticatedAt());
      assertThat(renewed.metadata()).isEqualTo(meta);
      assertThat(renewed.attribute("cart")).contains(List.of("book"));
      assertThat(liveSession(store(), renewed.id()).attribute("cart")).contains(List.of("book"));
      assertThat(live(store(), s.id())).isFalse();
    }

    @Test
    void renewIdKeepsTheSlotTag() {
      Session anonymous = store().create();
      Session user = login(store(), "alice");
      assertThat(SessionIdGenerator.tagOf(store().renewId(anonymous.id()).orElseThrow().id()))
          .isEqualTo(SessionIdGenerator.tagOf(anonymous.id()));
      assertThat(SessionIdGenerator.tagOf(store().renewId(user.id()).orElseThrow().id()))
          .isEqualTo(Digests.tagForUser("alice"));
    }

    @Test
    void renewIdReportsTheIdChange() {
      Session s = store().create();
      Session renewed = store().renewId(s.id()).orElseThrow();
      assertThat(events.idChanges())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.detail()).isEqualTo(s.handle());
                assertThat(e.event()).isNotNull();
                assertThat(e.event().handle()).isEqualTo(renewed.handle());
              });
    }

    @Test
    void renewedUserSessionStaysListedUnderItsNewHandle() {
      Session s = login(store(), "alice");
      Session renewed = store().renewId(s.id()).orElseThrow();
      assertThat(store().listForUser("alice"))
          .extracting(SessionInfo::handle)
          .containsExactly(renewed.handle());
    }
  }

  @Nested
  @DisplayName("login")
  class Login {
    @Test
    void loginRenewsTheIdAndCarriesTheAttributesWhenAskedTo() {
      Session anonymous = store().create(set("cart", "book"));
      clock.advance(Duration.ofSeconds(5));
      Session user =
          store()
              .login(
                  anonymous.id(), "alice", LoginOptions.builder().carryOver(CarryOver.ALL).build())
              .sessionOrThrow();
      assertThat(user.id()).isNotEqualTo(anonymous.id());
      assertThat(user.userId()).contains("alice");
      assertThat(user.attribute("cart")).contains("book");
      assertThat(user.info().authenticatedAt()).contains(clock.instant());
      assertThat(SessionIdGenerator.tagOf(user.id())).isEqualTo(Digests.tagForUser("alice"));
      assertThat(live(store(), anonymous.id())).isFalse();
      assertThat(liveSession(store(), user.id()).attribute("cart")).contains("book");
    }

    @Test
    void byDefaultNothingCarriesOverFromAnAnonymousSession() {
      Session anonymous =
          store()
              .create(
                  SessionChanges.builder()
                      .set("returnTo", "https://evil.example/")
                      .set("cart", "book")
                      .build());
      Session user = store().login(anonymous.id(), "alice").sessionOrThrow();
      assertThat(user.attributeNames()).isEmpty();
      assertThat(liveSession(store(), user.id()).attributeNames()).isEmpty();
      assertThat(live(store(), anonymous.id())).isFalse();
    }

    @Test
    void anAllowlistCarriesOnlyTheNamedAttributes() {
      Session anonymous =
          store()
              .create(
                  SessionChanges.builder()
                      .set("returnTo", "https://evil.example/")
                      .set("cart", List.of("book"))
                      .set("theme", "dark")
                      .build());
      Session user =
          store()
              .login(
                  anonymous.id(),
                  "alice",
                  LoginOptions.builder().carryOnly("cart", "theme", "absent").build())
              .sessionOrThrow();
      assertThat(user.attributeNames()).containsExactlyInAnyOrder("cart", "theme");
      Session read = liveSession(store(), user.id());
      assertThat(read.attributeNames()).containsExactlyInAnyOrder("cart", "theme");
      assertThat(read.attribute("cart")).contains(List.of("book"));
      assertThat(store().update(user.id(), set("more", "x"))).isTrue();
      // a re-login from the user's own session (same slot) applies the same list
      Session again =
          store()
              .login(user.id(), "alice", LoginOptions.builder().carryOnly("cart").build())
              .sessionOrThrow();
      assertThat(liveSession(store(), again.id()).attributeNames()).containsExactly("cart");
    }

    @Test
    void nothingCarriesOverFromAnotherUsersSessionWhateverTheOptions() {
      Session alice = store().login(null, "alice").sessionOrThrow();
      store().update(alice.id(), set("role", "admin"));
      for (LoginOptions o :
          List.of(
              LoginOptions.builder().carryOver(CarryOver.ALL).build(),
              LoginOptions.builder().carryOnly("role").build())) {
        Session current = store().login(null, "alice").sessionOrThrow();
        store().update(current.id(), set("role", "admin"));
        Session bob = store().login(current.id(), "bob", o).sessionOrThrow();
        assertThat(bob.attributeNames()).isEmpty();
        assertThat(liveSession(store(), bob.id()).attribute("role")).isEmpty();
        assertThat(live(store(), current.id())).isFalse();
      }
    }

    @Test
    void loginCanDropTheAttributes() {
      Session anonymous = store().create(set("cart", "book"));
      Session user =
          store()
              .login(anonymous.id(), "alice", LoginOptions.builder().keepAttributes(false).build())
              .sessionOrThrow();
      assertThat(user.attributeNames()).isEmpty();
      assertThat(liveSession(store(), user.id()).attributeNames()).isEmpty();
      assertThat(live(store(), anonymous.id())).isFalse();
    }

    @Test
    void loginWithoutACurrentSessionCreatesOne() {
      Session user = store().login(null, "alice").sessionOrThrow();
      assertThat(user.userId()).contains("alice");
      assertThat(SessionIdGenerator.tagOf(user.id())).isEqualTo(Digests.tagForUser("alice"));
      assertThat(events.created()).extracting(SessionEvent::handle).contains(user.handle());
    }

    @Test
    void loginRecordsMetadataShownInTheUsersList() {
      SessionMetadata meta = SessionMetadata.of("phone", "Pixel", "Mozilla/5.0", "198.51.100.7");
      Session user =
          store()
              .login(null, "alice", LoginOptions.builder().metadata(meta).build())
              .sessionOrThrow();
      assertThat(store().listForUser("alice"))
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.handle()).isEqualTo(user.handle());
                assertThat(i.metadata()).isEqualTo(meta);
                assertThat(i.userId()).contains("alice");
              });
    }

    @Test
    void loginAsAnotherUserMovesTheSessionToThatUser() {
      Session alice = login(store(), "alice");
      Session bob = store().login(alice.id(), "bob").sessionOrThrow();
      assertThat(bob.userId()).contains("bob");
      assertThat(SessionIdGenerator.tagOf(bob.id())).isEqualTo(Digests.tagForUser("bob"));
      assertThat(live(store(), alice.id())).isFalse();
      assertThat(store().listForUser("alice")).isEmpty();
      assertThat(store().listForUser("bob"))
          .extracting(SessionInfo::handle)
          .containsExactly(bob.handle());
    }

    @Test
    void loginReportsTheIdChange() {
      Session anonymous = store().create();
      Session user = store().login(anonymous.id(), "alice").sessionOrThrow();
      assertThat(events.idChanges())
          .anySatisfy(
              e -> {
                assertThat(e.detail()).isEqualTo(anonymous.handle());
                assertThat(e.event()).isNotNull();
                assertThat(e.event().handle()).isEqualTo(user.handle());
                assertThat(e.event().userId()).isEqualTo("alice");
              });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 257})
    void userIdsOfBadLengthAreRefused(int length) {
      String user = "u".repeat(length);
      assertThatThrownBy(() -> store().login(null, user))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b", "*", "{x}", "a\r\nb", "ünïcødé", "../x", "a b"})
    void unusualUserIdsWorkAndDoNotCollide(String user) {
      Session s = login(store(), user);
      login(store(), "a");
      assertThat(s.userId()).contains(user);
      assertThat(store().listForUser(user))
          .extracting(SessionInfo::handle)
          .containsExactly(s.handle());
      assertThat(store().deleteAllForUser(user, null, EndReason.ALL_REVOKED)).isEqualTo(1);
      assertThat(store().listForUser("a")).hasSize(1);
    }
  }

  @Nested
  @DisplayName("ending a user's sessions")
  class DeleteAllForUser {
    @Test
    void endsEverySessionOfTheUser() {
      Session a = login(store(), "alice");
      Session b = login(store(), "alice");
      Session bob = login(store(), "bob");
      assertThat(store().deleteAllForUser("alice", null, EndReason.ALL_REVOKED)).isEqualTo(2);
      assertThat(store().access(a.id()).endReason()).contains(EndReason.ALL_REVOKED);
      assertThat(store().access(b.id()).endReason()).contains(EndReason.ALL_REVOKED);
      assertThat(store().listForUser("alice")).isEmpty();
      assertThat(live(store(), bob.id())).isTrue();
    }

    @Test
    void sparesTheKeptSession() {
      Session a = login(store(), "alice");
      Session b = login(store(), "alice");
      assertThat(store().deleteAllForUser("alice", b.id(), EndReason.ALL_REVOKED)).isEqualTo(1);
      assertThat(store().access(a.id()).endReason()).contains(EndReason.ALL_REVOKED);
      assertThat(live(store(), b.id())).isTrue();
      assertThat(store().listForUser("alice"))
          .extracting(SessionInfo::handle)
          .containsExactly(b.handle());
    }

    @Test
    void returnsZeroForAUserWithoutSessions() {
      assertThat(store().deleteAllForUser("nobody", null, EndReason.ALL_REVOKED)).isZero();
    }

    @Test
    void reportsEachEndedSession() {
      Session a = login(store(), "alice");
      Session b = login(store(), "alice");
      store().deleteAllForUser("alice", null, EndReason.ALL_REVOKED);
      assertThat(events.endReasonsOf(a.handle())).containsExactly(EndReason.ALL_REVOKED);
      assertThat(events.endReasonsOf(b.handle())).containsExactly(EndReason.ALL_REVOKED);
    }

    @Test
    void aMalformedKeepIdSparesNothing() {
      login(store(), "alice");
      assertThat(store().deleteAllForUser("alice", "*", EndReason.ALL_REVOKED)).isEqualTo(1);
      assertThat(store().listForUser("alice")).isEmpty();
    }
  }

  @Nested
  @DisplayName("ending a session by handle")
  class DeleteByHandle {
    @Test
    void endsThatSessionOnly() {
      Session a = login(store(), "alice");
      Session b = login(store(), "alice");
      assertThat(store().deleteByHandle("alice", a.handle(), EndReason.REVOKED)).isTrue();
      assertThat(store().access(a.id()).endReason()).contains(EndReason.REVOKED);
      assertThat(live(store(), b.id())).isTrue();
      assertThat(store().deleteByHandle("alice", a.handle(), EndReason.REVOKED)).isFalse();
    }

    @Test
    void refusesAHandleOfAnotherUsersSession() {
      Session bob = login(store(), "bob");
      login(store(), "alice");
      assertThat(store().deleteByHandle("alice", bob.handle(), EndReason.REVOKED)).isFalse();
      assertThat(live(store(), bob.id())).isTrue();
    }

    @Test
    void refusesTheHandleOfAnAnonymousSession() {
      Session anonymous = store().create();
      assertThat(store().deleteByHandle("alice", anonymous.handle(), EndReason.REVOKED)).isFalse();
      assertThat(live(store(), anonymous.id())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "{x}", "not-a-handle", "AAAAAAAAAAAAAAAAAAAAAA"})
    void unknownOrMalformedHandlesEndNothing(String handle) {
      Session a = login(store(), "alice");
      assertThat(store().deleteByHandle("alice", handle, EndReason.REVOKED)).isFalse();
      assertThat(live(store(), a.id())).isTrue();
    }
  }

  @Nested
  @DisplayName("listing a user's sessions")
  class ListForUser {
    @Test
    void listsByCreationOldestFirstWithoutIds() {
      Session a = login(store(), "alice");
      clock.advance(Duration.ofSeconds(1));
      Session b = login(store(), "alice");
      List<SessionInfo> list = store().listForUser("alice");
      assertThat(list).extracting(SessionInfo::handle).containsExactly(a.handle(), b.handle());
      for (SessionInfo info : list) {
        assertThat(info.toString()).doesNotContain(a.id()).doesNotContain(b.id());
      }
      assertThat(list.get(0)).isEqualTo(a.info());
    }

    @Test
    void prunesExpiredSessions() {
      Session a = login(store(), "alice");
      clock.advance(IDLE.dividedBy(2));
      Session b = login(store(), "alice");
      clock.advance(IDLE.dividedBy(2).plus(EPSILON));
      assertThat(store().listForUser("alice"))
          .extracting(SessionInfo::handle)
          .containsExactly(b.handle());
      assertThat(live(store(), a.id())).isFalse();
    }

    @Test
    void emptyForAnUnknownUser() {
      assertThat(store().listForUser("nobody")).isEmpty();
    }

    @Test
    void reflectsTouchesAndLogouts() {
      Session a = login(store(), "alice");
      Instant later = clock.advance(TOUCH);
      store().access(a.id());
      assertThat(store().listForUser("alice"))
          .singleElement()
          .satisfies(i -> assertThat(i.lastAccessedAt()).isEqualTo(later));
      store().delete(a.id(), EndReason.LOGOUT);
      assertThat(store().listForUser("alice")).isEmpty();
    }
  }

  @Nested
  @DisplayName("end reasons and tombstones")
  class EndReasons {
    @ParameterizedTest
    @EnumSource(
        value = EndReason.class,
        names = {"LOGOUT", "REVOKED", "REPLACED", "ALL_REVOKED"})
    void accessReportsWhyTheSessionEnded(EndReason reason) {
      Session s = store().create();
      assertThat(store().delete(s.id(), reason)).isTrue();
      assertThat(store().access(s.id())).isEqualTo(AccessResult.ended(reason));
      assertThat(store().access(s.id(), AccessMode.PASSIVE)).isEqualTo(AccessResult.ended(reason));
    }

    @Test
    void tombstoneLastsItsTtlThenVanishes() {
      Session s = store().create();
      store().delete(s.id(), EndReason.LOGOUT);
      clock.advance(TOMBSTONE.minus(EPSILON));
      assertThat(store().access(s.id()).endReason()).contains(EndReason.LOGOUT);
      clock.advance(EPSILON.multipliedBy(2));
      assertThat(store().access(s.id())).isEqualTo(AccessResult.absent());
    }

    @Test
    void zeroTombstoneTtlKeepsNoReason() {
      SessionStore store = store(b -> b.tombstoneTtl(Duration.ZERO));
      Session s = store.create();
      store.delete(s.id(), EndReason.LOGOUT);
      assertThat(store.access(s.id())).isEqualTo(AccessResult.absent());
    }

    @Test
    void idleExpiryIsReportedAsAbsentOrIdleTimeout() {
      Session s = store().create();
      clock.advance(IDLE.plus(EPSILON));
      assertEndedOrAbsent(store().access(s.id()), EndReason.IDLE_TIMEOUT);
      assertEndedOrAbsent(store().access(s.id(), AccessMode.PASSIVE), EndReason.IDLE_TIMEOUT);
    }

    @Test
    void absoluteExpiryIsReportedAsAbsentOrAbsoluteTimeout() {
      Session s = store().create();
      while (clock.instant().isBefore(s.createdAt().plus(ABSOLUTE).minus(IDLE))) {
        clock.advance(IDLE.dividedBy(2));
        store().access(s.id());
      }
      clock.set(s.createdAt().plus(ABSOLUTE).plus(EPSILON));
      assertEndedOrAbsent(store().access(s.id()), EndReason.ABSOLUTE_TIMEOUT);
    }

    @Test
    void deleteIsIdempotent() {
      Session s = store().create();
      assertThat(store().delete(s.id(), EndReason.LOGOUT)).isTrue();
      assertThat(store().delete(s.id(), EndReason.LOGOUT)).isFalse();
      assertThat(store().access(s.id()).isActive()).isFalse();
      assertThat(events.endReasonsOf(s.handle())).containsExactly(EndReason.LOGOUT);
    }

    @Test
    void deleteOfAnUnknownIdReturnsFalse() {
      assertThat(store().delete(store().config().idGenerator().newAnonymousId(), EndReason.LOGOUT))
          .isFalse();
    }

    @Test
    void unknownWellFormedIdIsAbsentAndNotReportedAsInvalid() {
      String id = store().config().idGenerator().newAnonymousId();
      assertThat(store().access(id)).isEqualTo(AccessResult.absent());
      assertThat(events.invalidIdSources()).isEmpty();
    }
  }

  /** Malformed ids, built around a real one so that only one property is wrong in each. */
  static Stream<Arguments> malformedIds() {
    String good = SessionIdGenerator.defaults().newAnonymousId();
    char last = good.charAt(good.length() - 1);
    // the default 256 bits leave 2 unused low bits in the last character: setting one is
    // non-canonical
    int lastValue = Digests.indexOf(last);
    String nonCanonical =
        good.substring(0, good.length() - 1)
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .charAt(lastValue | 1);
    List<Arguments> ids =
        new ArrayList<>(
            Arrays.asList(
                Arguments.of("null", null),
                Arguments.of("empty", ""),
                Arguments.of("10 KB", "A".repeat(10 * 1024)),
                Arguments.of("star", "*"),
                Arguments.of("braces", "{x}"),
                Arguments.of("colon", "a:b"),
                Arguments.of("CR/LF", good.substring(0, 20) + "\r\n" + good.substring(22)),
                Arguments.of("NUL", good.substring(0, 20) + '\0' + good.substring(21)),
                Arguments.of("non-ASCII", good.substring(0, 20) + 'é' + good.substring(21)),
                Arguments.of("path", "../" + good.substring(3)),
                Arguments.of(
                    "standard base64 alphabet", good.substring(0, 20) + "+/" + good.substring(22)),
                Arguments.of("padding", good.substring(0, good.length() - 1) + "="),
                Arguments.of("glob in id", good.substring(0, 20) + "*" + good.substring(21)),
                Arguments.of("hash tag in id", "{" + good.substring(1, 44) + "}"),
                Arguments.of("one char short", good.substring(1)),
                Arguments.of("one char long", good + "A"),
                Arguments.of("twice", good + good),
                Arguments.of("spaces", " " + good.substring(1)),
                Arguments.of("non-canonical last char", nonCanonical)));
    return ids.stream();
  }

  @Nested
  @DisplayName("malformed ids")
  class MalformedIds {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sessionkit.testkit.SessionStoreContract#malformedIds")
    void accessIsAbsentWithoutBackendOperations(String label, @Nullable String id) {
      SessionStore store = store();
      store.create();
      long before = backendOperations(store);
      assertThat(store.access(id)).isEqualTo(AccessResult.absent());
      assertThat(store.access(id, AccessMode.PASSIVE)).isEqualTo(AccessResult.absent());
      assertThat(backendOperations(store)).isEqualTo(before);
      assertThat(events.invalidIdSources()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sessionkit.testkit.SessionStoreContract#malformedIds")
    void updateRenewAndDeleteDoNothingWithoutBackendOperations(String label, @Nullable String id) {
      SessionStore store = store();
      store.create();
      long before = backendOperations(store);
      assertThat(store.update(id, set("k", "v"))).isFalse();
      assertThat(store.renewId(id)).isEmpty();
      assertThat(store.delete(id, EndReason.LOGOUT)).isFalse();
      assertThat(backendOperations(store)).isEqualTo(before);
      assertThat(events.invalidIdSources()).hasSize(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sessionkit.testkit.SessionStoreContract#malformedIds")
    void loginWithAMalformedCurrentIdStartsAFreshSession(String label, @Nullable String id) {
      Session s = store().login(id, "alice").sessionOrThrow();
      assertThat(s.attributeNames()).isEmpty();
      assertThat(live(store(), s.id())).isTrue();
    }

    @Test
    void aGeneratorOfAnotherLengthRejectsDefaultIds() {
      SessionStore store =
          store(b -> b.idGenerator(SessionIdGenerator.builder().bits(128).build()));
      Session s = store.create();
      assertThat(s.id()).hasSize(2 + 22);
      String defaultId = SessionIdGenerator.defaults().newAnonymousId();
      long before = backendOperations(store);
      assertThat(store.access(defaultId)).isEqualTo(AccessResult.absent());
      assertThat(backendOperations(store)).isEqualTo(before);
      assertThat(live(store, s.id())).isTrue();
    }
  }

  /** An application type allowed in the codec by the attribute tests. */
  public record Cart(String owner, List<String> items, int total) {}

  static Stream<Arguments> attributeValues() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("a", "x");
    map.put("b", List.of("y", "z"));
    map.put("c", true);
    return Stream.of(
        Arguments.of("String", "héllo \"wörld\" \r\n {x} *"),
        Arguments.of("Integer", 42),
        Arguments.of("Long", 1L << 40),
        Arguments.of("Double", 3.25),
        Arguments.of("Boolean", true),
        Arguments.of("List", List.of("a", "b", "c")),
        Arguments.of("Map", map),
        Arguments.of("Instant", Instant.parse("2030-01-02T03:04:05.678Z")),
        Arguments.of("UUID", UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
        Arguments.of("BigDecimal", new BigDecimal("12345678901234567890.123")),
        Arguments.of("record", new Cart("alice", List.of("book", "pen"), 3)),
        Arguments.of("NaN", Double.NaN),
        Arguments.of("+infinity", Double.POSITIVE_INFINITY),
        Arguments.of("-infinity", Double.NEGATIVE_INFINITY),
        Arguments.of("Longs in a list", List.of(5L, 6L)),
        Arguments.of("a Float in a list", List.of(1.1f, "x")),
        Arguments.of(
            "records in a list",
            List.of(new Cart("a", List.of(), 1), new Cart("b", List.of("c"), 2))));
  }

  /** How many generated values the property-based round-trip test writes and reads back. */
  protected static final int GENERATED_VALUES = 400;

  /** The seed of the generated values, fixed so that a failure can be replayed. */
  protected static final long GENERATED_SEED = 0x5e55_10de_c0deL;

  @Nested
  @DisplayName("attributes")
  class Attributes {
    private SessionStore codecStore() {
      return store(
          b -> b.codec(JsonAttributeCodec.builder().allowType("cart", Cart.class).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sessionkit.testkit.SessionStoreContract#attributeValues")
    void valuesRoundTripWithTheirExactType(String label, Object value) {
      SessionStore store = codecStore();
      Session s = store.create();
      assertThat(store.update(s.id(), set("v", value))).isTrue();
      Object read = liveSession(store, s.id()).attribute("v").orElseThrow();
      assertThat(read).isEqualTo(value);
      // same type at every depth: Longs in a list stay Longs
      assertThat(AttributeValues.difference(value, read)).isNull();
    }

    @Test
    void everyGeneratedValueReadsBackEqualAndOfTheSameTypeOnTheNextRequest() {
      SessionStore store = codecStore();
      AttributeValues values = new AttributeValues(GENERATED_SEED);
      Session s = store.create();
      for (int i = 0; i < GENERATED_VALUES; i++) {
        Object value = values.next();
        String id;
        if (i % 2 == 0) {
          id = store.create(set("v", value)).id();
        } else {
          assertThat(store.update(s.id(), set("v", value))).isTrue();
          id = s.id();
        }
        Object read = liveSession(store, id).attribute("v").orElseThrow();
        String difference = AttributeValues.difference(value, read);
        assertThat(difference).as("generated value %d (seed %x)", i, GENERATED_SEED).isNull();
      }
    }

    @Test
    void aCollectionThatCannotReadBackAsItsKindIsRefusedAndWritesNothing() {
      Session s = store().create(set("kept", "x"));
      assertThatThrownBy(
              () -> store().update(s.id(), set("queue", new ArrayDeque<>(List.of(1, 2)))))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("queue")
          .satisfies(
              e -> assertThat(((AttributeEncodingException) e).attributeName()).isEqualTo("queue"));
      assertThat(liveSession(store(), s.id()).attributeNames()).containsExactly("kept");
    }

    @Test
    void deepNestingAndSelfContainingMapsAreRefusedWithAnEncodingException() {
      Session s = store().create();
      Object deep = "leaf";
      for (int i = 0; i < 10_000; i++) {
        deep = List.of(deep);
      }
      Map<String, Object> self = new LinkedHashMap<>();
      self.put("self", self);
      for (Object value : List.of(deep, self)) {
        assertThatThrownBy(() -> store().update(s.id(), set("nested", value)))
            .isInstanceOf(AttributeEncodingException.class)
            .satisfies(
                e ->
                    assertThat(((AttributeEncodingException) e).attributeName())
                        .isEqualTo("nested"));
        assertThatThrownBy(() -> store().create(set("nested", value)))
            .isInstanceOf(AttributeEncodingException.class);
      }
      assertThat(liveSession(store(), s.id()).attributeNames()).isEmpty();
    }

    @Test
    void aTypeNotAllowedFailsAtWriteTimeNamingTheAttributeAndWritesNothing() {
      Session s = store().create(set("kept", "x"));
      SessionChanges changes =
          SessionChanges.builder()
              .set("fine", "y")
              .set("cart", new Cart("a", List.of(), 0))
              .build();
      assertThatThrownBy(() -> store().update(s.id(), changes))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("cart")
          .satisfies(
              e -> assertThat(((AttributeEncodingException) e).attributeName()).isEqualTo("cart"));
      assertThat(liveSession(store(), s.id()).attributeNames()).containsExactly("kept");
    }

    @Test
    void aTypeNotAllowedFailsCreateAndCreatesNothing() {
      assertThatThrownBy(() -> store().create(set("cart", new Cart("a", List.of(), 0))))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("cart");
      assertThat(events.created()).isEmpty();
    }

    @Test
    void removalsRemoveAndRemovingAnAbsentAttributeIsFine() {
      Session s = store().create(SessionChanges.builder().set("a", 1).set("b", 2).build());
      assertThat(store().update(s.id(), SessionChanges.builder().remove("a").remove("zzz").build()))
          .isTrue();
      assertThat(liveSession(store(), s.id()).attributeNames()).containsExactly("b");
    }

    @Test
    void overwritingAnAttributeReplacesItsValue() {
      Session s = store().create(set("a", 1));
      store().update(s.id(), set("a", "two"));
      assertThat(liveSession(store(), s.id()).attribute("a")).contains("two");
    }

    @Test
    void tooLargeAnUpdateFailsAndWritesNothing() {
      SessionStore store = store(b -> b.maxSessionBytes(1024));
      Session s = store.create(set("small", "x"));
      SessionChanges big =
          SessionChanges.builder().set("other", "y").set("big", "x".repeat(2000)).build();
      assertThatThrownBy(() -> store.update(s.id(), big))
          .isInstanceOf(SessionTooLargeException.class);
      assertThat(liveSession(store, s.id()).attributeNames()).containsExactly("small");
    }

    @Test
    void sizeLimitCountsWhatTheSessionAlreadyHolds() {
      SessionStore store = store(b -> b.maxSessionBytes(1024));
      Session s = store.create();
      assertThat(store.update(s.id(), set("a", "x".repeat(600)))).isTrue();
      assertThatThrownBy(() -> store.update(s.id(), set("b", "x".repeat(600))))
          .isInstanceOf(SessionTooLargeException.class);
      assertThat(liveSession(store, s.id()).attributeNames()).containsExactly("a");
      // replacing a value with a smaller one frees the space
      assertThat(store.update(s.id(), set("a", "small"))).isTrue();
      assertThat(store.update(s.id(), set("b", "x".repeat(600)))).isTrue();
    }

    @Test
    void tooLargeACreateFails() {
      SessionStore store = store(b -> b.maxSessionBytes(1024));
      assertThatThrownBy(() -> store.create(set("big", "x".repeat(2000))))
          .isInstanceOf(SessionTooLargeException.class);
      assertThat(events.created()).isEmpty();
    }

    @Test
    void metadataCanBeReplaced() {
      Session s = login(store(), "alice");
      SessionMetadata meta = SessionMetadata.of("phone", "Pixel", null, null);
      assertThat(store().update(s.id(), SessionChanges.builder().metadata(meta).build())).isTrue();
      assertThat(liveSession(store(), s.id()).metadata()).isEqualTo(meta);
      assertThat(store().listForUser("alice"))
          .singleElement()
          .satisfies(i -> assertThat(i.metadata()).isEqualTo(meta));
    }
  }

  @Nested
  @DisplayName("listener events")
  class Events {
    @Test
    void createReportsTheNewSessionWithoutItsId() {
      Session s = store().create();
      assertThat(events.created())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.handle()).isEqualTo(s.handle());
                assertThat(e.userId()).isNull();
                assertThat(e.at()).isEqualTo(clock.instant());
              });
    }

    @Test
    void deleteReportsTheEndWithItsReason() {
      Session s = login(store(), "alice");
      store().delete(s.id(), EndReason.LOGOUT);
      assertThat(events.ended())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.reason()).isEqualTo(EndReason.LOGOUT);
                assertThat(e.event()).isNotNull();
                assertThat(e.event().handle()).isEqualTo(s.handle());
              });
    }

    @Test
    void evictionReportsReplaced() {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.EVICT_OLDEST)));
      Session first = login(store, "alice");
      login(store, "alice");
      assertThat(events.endReasonsOf(first.handle())).containsExactly(EndReason.REPLACED);
    }

    @Test
    void noEventEverCarriesASessionId() {
      Session s = store().create();
      Session user = store().login(s.id(), "alice").sessionOrThrow();
      Session renewed = store().renewId(user.id()).orElseThrow();
      store().delete(renewed.id(), EndReason.LOGOUT);
      Set<String> ids = new HashSet<>(List.of(s.id(), user.id(), renewed.id()));
      assertThat(events.events())
          .isNotEmpty()
          .allSatisfy(
              e -> {
                for (String id : ids) {
                  assertThat(String.valueOf(e)).doesNotContain(id);
                }
              });
    }

    @Test
    void aThrowingListenerNeitherFailsNorUndoesTheOperation() {
      SessionListener throwing =
          new SessionListener() {
            @Override
            public void sessionCreated(SessionEvent event) {
              throw new IllegalStateException("listener failure");
            }

            @Override
            public void sessionEnded(SessionEvent event, EndReason reason) {
              throw new IllegalStateException("listener failure");
            }

            @Override
            public void sessionIdChanged(SessionEvent event, String previousHandle) {
              throw new IllegalStateException("listener failure");
            }

            @Override
            public void invalidIdPresented(String source) {
              throw new IllegalStateException("listener failure");
            }
          };
      // the throwing listener comes first, so the recording one proves delivery went on after it
      SessionConfig withThrowing =
          SessionConfig.builder()
              .ttlPolicy(baseConfig().build().ttlPolicy())
              .clock(clock)
              .auditLogging(false)
              .tombstoneTtl(TOMBSTONE)
              .addListener(throwing)
              .addListener(events)
              .build();
      SessionStore s2 = newStore(withThrowing);
      stores.add(s2);
      Session s = s2.create(set("a", 1));
      assertThat(live(s2, s.id())).isTrue();
      Session user = s2.login(s.id(), "alice").sessionOrThrow();
      assertThat(live(s2, user.id())).isTrue();
      assertThat(s2.access("*")).isEqualTo(AccessResult.absent());
      assertThat(s2.delete(user.id(), EndReason.LOGOUT)).isTrue();
      assertThat(s2.access(user.id()).endReason()).contains(EndReason.LOGOUT);
      // the listener after the throwing one still heard every event
      assertThat(events.endReasonsOf(user.handle())).containsExactly(EndReason.LOGOUT);
    }
  }

  /**
   * A {@link SecureRandom} whose first two draws of id bytes are identical, so that a generator
   * built on it produces the same id twice in a row.
   */
  static final class RepeatingRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private int idDraws;

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (bytes.length <= 2) {
        Arrays.fill(bytes, (byte) 0x5a); // tag bits: always the same
        return;
      }
      int draw = idDraws++;
      int seed = draw <= 1 ? 0 : draw - 1; // draws 0 and 1 repeat
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (seed * 31 + i * 7 + 1);
      }
    }
  }

  @Nested
  @DisplayName("id collisions")
  class IdCollisions {
    @Test
    void aRepeatedAnonymousIdNeverYieldsASharedSession() {
      SessionStore store =
          store(
              b ->
                  b.idGenerator(
                      SessionIdGenerator.builder().random(new RepeatingRandom()).build()));
      Session first = store.create(set("owner", "first"));
      Session second = store.create(set("owner", "second"));
      assertThat(second.id()).isNotEqualTo(first.id());
      assertThat(liveSession(store, first.id()).attribute("owner")).contains("first");
      assertThat(liveSession(store, second.id()).attribute("owner")).contains("second");
    }

    @Test
    void aRepeatedLoginIdNeverYieldsASharedSession() {
      SessionStore store =
          store(
              b ->
                  b.idGenerator(
                      SessionIdGenerator.builder().random(new RepeatingRandom()).build()));
      Session first = store.login(null, "alice").sessionOrThrow();
      Session second = store.login(null, "alice").sessionOrThrow();
      assertThat(second.id()).isNotEqualTo(first.id());
      assertThat(store.listForUser("alice")).hasSize(2);
      store.delete(first.id(), EndReason.LOGOUT);
      assertThat(live(store, second.id())).isTrue();
    }
  }

  /**
   * Counts the id draws of a generator built on it (a draw of more than the two tag bytes is one
   * id) and, once {@link #repeat} is set, repeats the bytes of the last id drawn forever, so that
   * every later id collides with the one drawn before.
   */
  static final class CountingRepeatingRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final SecureRandom real = new SecureRandom();
    private byte @Nullable [] last;
    volatile boolean repeat;
    int idDraws;

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (bytes.length <= 2) {
        Arrays.fill(bytes, (byte) 0x21); // tag bits: always the same
        return;
      }
      idDraws++;
      byte[] l = last;
      if (repeat && l != null && l.length == bytes.length) {
        System.arraycopy(l, 0, bytes, 0, bytes.length);
      } else {
        real.nextBytes(bytes);
        last = bytes.clone();
      }
    }
  }

  /**
   * The behaviour that {@link io.sessionkit.core.SessionStoreCore} gives every store: events of a
   * login, refusal after close, a misbehaving codec, id collisions.
   */
  @Nested
  @DisplayName("one encoding per change")
  class Encodings {
    private final JsonAttributeCodec json = JsonAttributeCodec.defaults();
    private final CountingAttributeCodec codec = new CountingAttributeCodec(json);

    private SessionStore countingStore() {
      return store(b -> b.codec(codec));
    }

    @Test
    void aChangeCarryingItsEncodingIsWrittenAsGivenWithoutCallingTheCodec() {
      SessionStore store = countingStore();
      String dark = json.encode("theme", "dark");
      Session s = store.create(SessionChanges.builder().setEncoded("theme", "dark", dark).build());
      assertThat(codec.encodings()).as("encodings by create").isZero();
      List<String> cart = List.of("sku-1", "sku-2");
      String encodedCart = json.encode("cart", cart);
      assertThat(
              store.update(
                  s.id(), SessionChanges.builder().setEncoded("cart", cart, encodedCart).build()))
          .isTrue();
      assertThat(codec.encodings()).as("encodings by update").isZero();
      Session read = liveSession(store, s.id());
      assertThat(read.encodedAttributes())
          .containsEntry("theme", dark)
          .containsEntry("cart", encodedCart);
      assertThat(read.attribute("theme")).contains("dark");
      assertThat(read.attribute("cart")).contains(cart);
    }

    @Test
    void aChangeWithoutAnEncodingIsEncodedOnce() {
      SessionStore store = countingStore();
      Session s = store.create(set("a", "x"));
      assertThat(codec.encodings("a")).isEqualTo(1);
      assertThat(
              store.update(
                  s.id(),
                  SessionChanges.builder()
                      .set("b", List.of(1L))
                      .setEncoded("c", 2L, json.encode("c", 2L))
                      .build()))
          .isTrue();
      assertThat(codec.encodings("b")).isEqualTo(1);
      assertThat(codec.encodings("c")).isZero();
      assertThat(liveSession(store, s.id()).attribute("c")).contains(2L);
    }

    @Test
    void setAfterSetEncodedDropsTheGivenEncoding() {
      SessionStore store = countingStore();
      Session s = store.create();
      SessionChanges changes =
          SessionChanges.builder()
              .setEncoded("a", "old", json.encode("a", "old"))
              .set("a", "new")
              .build();
      assertThat(store.update(s.id(), changes)).isTrue();
      assertThat(codec.encodings("a")).isEqualTo(1);
      assertThat(liveSession(store, s.id()).attribute("a")).contains("new");
    }

    @Test
    void aGivenEncodingThatIsNotUnicodeIsRefusedNamingTheAttributeAndWritesNothing() {
      Session s = store().create(set("kept", "x"));
      SessionChanges bad =
          SessionChanges.builder().set("fine", "y").setEncoded("bad", "v", "\"\uD800\"").build();
      assertThatThrownBy(() -> store().update(s.id(), bad))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("bad")
          .satisfies(
              e -> assertThat(((AttributeEncodingException) e).attributeName()).isEqualTo("bad"));
      assertThatThrownBy(() -> store().create(bad)).isInstanceOf(AttributeEncodingException.class);
      assertThat(liveSession(store(), s.id()).attributeNames()).containsExactly("kept");
    }

    @Test
    void aGivenEncodingCountsAgainstTheSizeLimit() {
      SessionStore store = store(b -> b.maxSessionBytes(1024));
      Session s = store.create(set("small", "x"));
      String value = "x".repeat(2000);
      SessionChanges big =
          SessionChanges.builder().setEncoded("big", value, json.encode("big", value)).build();
      assertThatThrownBy(() -> store.update(s.id(), big))
          .isInstanceOf(SessionTooLargeException.class);
      assertThatThrownBy(() -> store.create(big)).isInstanceOf(SessionTooLargeException.class);
      assertThat(liveSession(store, s.id()).attributeNames()).containsExactly("small");
    }
  }

  @Nested
  @DisplayName("one behaviour for every store")
  class StoreCore {
    @Test
    void aLoginFromALiveSessionReportsTheIdChangeNotACreation() {
      Session anonymous = store().create();
      events.clear();
      Session user = store().login(anonymous.id(), "alice").sessionOrThrow();
      // No session came into being: the login gave the live one a new id (created minus ended
      // stays the number of live sessions).
      assertThat(events.created()).isEmpty();
      assertThat(events.ended()).isEmpty();
      assertThat(events.idChanges())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.detail()).isEqualTo(anonymous.handle());
                assertThat(e.event()).isNotNull();
                assertThat(e.event().handle()).isEqualTo(user.handle());
                assertThat(e.event().userId()).isEqualTo("alice");
              });
    }

    @Test
    void aLoginWithoutALiveSessionReportsOnlyTheNewSessionCreated() {
      Session user = store().login(null, "alice").sessionOrThrow();
      assertThat(events.created()).extracting(SessionEvent::handle).containsExactly(user.handle());
      assertThat(events.idChanges()).isEmpty();
    }

    @Test
    void everyCallAfterCloseIsRefusedWithIllegalStateException() {
      SessionStore store = store(b -> {});
      Session s = store.create();
      Session user = store.login(null, "alice").sessionOrThrow();
      store.close();
      store.close(); // idempotent
      List<Runnable> calls =
          List.of(
              store::create,
              () -> store.access(s.id()),
              () -> store.access(s.id(), AccessMode.PASSIVE),
              () -> store.access("malformed"),
              () -> store.update(s.id(), set("a", 1)),
              () -> store.renewId(s.id()),
              () -> store.login(s.id(), "bob"),
              () -> store.login(null, "bob"),
              () -> store.delete(s.id(), EndReason.LOGOUT),
              () -> store.delete(null, EndReason.LOGOUT),
              () -> store.listForUser("alice"),
              () -> store.deleteByHandle("alice", user.handle(), EndReason.REVOKED),
              () -> store.deleteAllForUser("alice", null, EndReason.ALL_REVOKED));
      for (int i = 0; i < calls.size(); i++) {
        Runnable call = calls.get(i);
        assertThatThrownBy(call::run)
            .as("call %d after close", i)
            .isInstanceOf(IllegalStateException.class);
      }
    }

    @Test
    void aCodecThatThrowsAnythingFailsAsAnEncodingErrorNamingTheAttributeAndWritesNothing() {
      AttributeCodec throwing =
          new AttributeCodec() {
            @Override
            public String encode(String name, Object value) {
              if (value.equals("boom")) {
                throw new IllegalStateException("third-party codec bug");
              }
              return JsonAttributeCodec.defaults().encode(name, value);
            }

            @Override
            public Object decode(String name, String encoded) {
              return JsonAttributeCodec.defaults().decode(name, encoded);
            }
          };
      SessionStore store = store(b -> b.codec(throwing));
      Session s = store.create(set("kept", "x"));
      SessionChanges changes = SessionChanges.builder().set("fine", "y").set("bad", "boom").build();
      assertThatThrownBy(() -> store.update(s.id(), changes))
          .isInstanceOf(AttributeEncodingException.class)
          .hasMessageContaining("bad")
          .hasCauseInstanceOf(IllegalStateException.class)
          .satisfies(
              e -> assertThat(((AttributeEncodingException) e).attributeName()).isEqualTo("bad"));
      assertThatThrownBy(() -> store.create(changes))
          .isInstanceOf(AttributeEncodingException.class);
      assertThat(liveSession(store, s.id()).attributeNames()).containsExactly("kept");
    }

    @Test
    void aCodecWhoseOutputIsNotUnicodeIsRefused() {
      AttributeCodec lossy =
          new AttributeCodec() {
            @Override
            public String encode(String name, Object value) {
              return "\"\uD800\"";
            }

            @Override
            public Object decode(String name, String encoded) {
              return encoded;
            }
          };
      SessionStore store = store(b -> b.codec(lossy));
      Session s = store.create();
      assertThatThrownBy(() -> store.update(s.id(), set("a", 1)))
          .isInstanceOf(AttributeEncodingException.class)
          .satisfies(
              e -> assertThat(((AttributeEncodingException) e).attributeName()).isEqualTo("a"));
    }

    private SessionStore collidingStore(CountingRepeatingRandom random) {
      return store(b -> b.idGenerator(SessionIdGenerator.builder().random(random).build()));
    }

    private void assertIdsExhausted(CountingRepeatingRandom random, Runnable call) {
      int before = random.idDraws;
      random.repeat = true;
      assertThatThrownBy(call::run)
          .isExactlyInstanceOf(SessionException.class)
          .hasMessageContaining(String.valueOf(SessionStoreCore.MAX_ID_DRAWS));
      assertThat(random.idDraws - before)
          .as("ids drawn before giving up")
          .isEqualTo(SessionStoreCore.MAX_ID_DRAWS);
      random.repeat = false;
    }

    @Test
    void createRetriesACollidingIdSixteenTimesThenFailsTheSameWay() {
      CountingRepeatingRandom random = new CountingRepeatingRandom();
      SessionStore store = collidingStore(random);
      Session first = store.create(set("owner", "first"));
      assertIdsExhausted(random, store::create);
      assertThat(liveSession(store, first.id()).attribute("owner")).contains("first");
    }

    @Test
    void loginRetriesACollidingIdSixteenTimesThenFailsTheSameWay() {
      CountingRepeatingRandom random = new CountingRepeatingRandom();
      SessionStore store = collidingStore(random);
      Session first = store.login(null, "alice").sessionOrThrow();
      assertIdsExhausted(random, () -> store.login(null, "alice"));
      assertThat(live(store, first.id())).isTrue();
    }

    @Test
    void renewIdRetriesACollidingIdSixteenTimesThenFailsTheSameWay() {
      CountingRepeatingRandom random = new CountingRepeatingRandom();
      SessionStore store = collidingStore(random);
      Session s = store.create(set("owner", "me"));
      // the next id repeats the bytes of s's own id: it collides with s itself
      assertIdsExhausted(random, () -> store.renewId(s.id()));
      assertThat(liveSession(store, s.id()).attribute("owner")).contains("me");
    }
  }

  @Nested
  @DisplayName("snapshots and odd corners")
  class Snapshots {
    @Test
    void absentAttributeIsEmpty() {
      Session s = store().create();
      Optional<Object> missing = liveSession(store(), s.id()).attribute("missing");
      assertThat(missing).isEmpty();
    }

    @Test
    void aSnapshotDoesNotChangeWhenTheSessionDoes() {
      Session s = store().create(set("a", 1));
      store().update(s.id(), set("a", 2));
      assertThat(s.attribute("a")).contains(1);
      assertThat(liveSession(store(), s.id()).attribute("a")).contains(2);
    }

    @Test
    void expiresAtAgreesWithTheTimeouts() {
      Session s = store().create();
      clock.advance(TOUCH.multipliedBy(2));
      Session read = store().access(s.id()).session().orElseThrow();
      assertThat(read.expiresAt())
          .isEqualTo(read.timeouts().expiresAt(read.createdAt(), read.lastAccessedAt()));
    }

    @Test
    void anEmptyUpdateOfALiveSessionSucceedsAndOfADeadOneFails() {
      Session s = store().create();
      assertThat(store().update(s.id(), SessionChanges.none())).isTrue();
      store().delete(s.id(), EndReason.LOGOUT);
      assertThat(store().update(s.id(), SessionChanges.none())).isFalse();
    }

    @Test
    void renewIdIsNotALoginAndEvictsNothing() {
      SessionStore store =
          store(b -> b.loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.EVICT_OLDEST)));
      Session s = login(store, "alice");
      Session renewed = store.renewId(s.id()).orElseThrow();
      assertThat(live(store, renewed.id())).isTrue();
      assertThat(store.listForUser("alice")).hasSize(1);
      assertThat(events.endReasonsOf(s.handle())).isEmpty();
    }

    @Test
    void theOldHandleIsDeadAfterRenewId() {
      Session s = login(store(), "alice");
      Session renewed = store().renewId(s.id()).orElseThrow();
      assertThat(store().deleteByHandle("alice", s.handle(), EndReason.REVOKED)).isFalse();
      assertThat(live(store(), renewed.id())).isTrue();
    }

    @Test
    void deleteAllForUserReportsTheGivenReason() {
      Session s = login(store(), "alice");
      store().deleteAllForUser("alice", null, EndReason.REVOKED);
      assertThat(store().access(s.id()).endReason()).contains(EndReason.REVOKED);
    }

    @Test
    void aStoreWithAuditLoggingWorks() {
      SessionStore store = store(b -> b.auditLogging(true));
      Session s = store.create();
      Session user = store.login(s.id(), "alice\r\nforged").sessionOrThrow();
      assertThat(store.access("*").isActive()).isFalse();
      assertThat(store.delete(user.id(), EndReason.LOGOUT)).isTrue();
    }
  }

  @Nested
  @DisplayName("across servers")
  class AcrossServers {
    @Test
    void logoutOnOneServerIsSeenByTheOtherAtOnce() {
      SessionStore a = store();
      SessionStore b = peerOf(a);
      Session s = a.login(null, "alice").sessionOrThrow();
      assertThat(b.access(s.id()).isActive()).isTrue();
      a.delete(s.id(), EndReason.LOGOUT);
      assertThat(b.access(s.id())).isEqualTo(AccessResult.ended(EndReason.LOGOUT));
      assertThat(b.update(s.id(), set("k", "v"))).isFalse();
    }

    @Test
    void writesOnOneServerAreReadOnTheOther() {
      SessionStore a = store();
      SessionStore b = peerOf(a);
      Session s = a.create();
      b.update(s.id(), set("from", "b"));
      a.update(s.id(), set("also", "a"));
      assertThat(liveSession(a, s.id()).attributeNames()).containsExactlyInAnyOrder("from", "also");
      assertThat(liveSession(b, s.id()).attributeNames()).containsExactlyInAnyOrder("from", "also");
    }

    @Test
    void loginsRacingOnTwoServersRespectTheLimit() throws Exception {
      SessionStore a =
          store(c -> c.loginPolicy(LoginPolicy.maxSessionsPerUser(3, OnLimit.EVICT_OLDEST)));
      SessionStore b = peerOf(a);
      List<Callable<LoginResult>> tasks = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        SessionStore server = t % 2 == 0 ? a : b;
        tasks.add(() -> server.login(null, "alice"));
      }
      List<LoginResult> results = Races.race(tasks);
      assertThat(results).allMatch(LoginResult::isAccepted);
      assertThat(a.listForUser("alice")).hasSize(3);
      assertThat(b.listForUser("alice")).hasSize(3);
      assertThat(results.stream().filter(r -> live(a, r.sessionOrThrow().id()))).hasSize(3);
    }

    @Test
    void writesOfDistinctAttributesOnTwoServersAllLand() throws Exception {
      SessionStore a = store();
      SessionStore b = peerOf(a);
      Session s = a.create();
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int n = t;
        SessionStore server = t % 2 == 0 ? a : b;
        tasks.add(() -> server.update(s.id(), set("attr" + n, n)));
      }
      assertThat(Races.race(tasks)).containsOnly(true);
      assertThat(liveSession(b, s.id()).attributeNames()).hasSize(16);
    }

    @Test
    void kickOutOnOneServerIsReportedOnTheOther() {
      SessionStore a =
          store(c -> c.loginPolicy(LoginPolicy.maxSessionsPerUser(1, OnLimit.EVICT_OLDEST)));
      SessionStore b = peerOf(a);
      Session first = a.login(null, "alice").sessionOrThrow();
      b.login(null, "alice").sessionOrThrow();
      assertThat(a.access(first.id())).isEqualTo(AccessResult.ended(EndReason.REPLACED));
    }
  }
}
