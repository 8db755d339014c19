package io.sessionkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.AccessMode;
import io.sessionkit.core.AccessResult;
import io.sessionkit.core.AttributeEncodingException;
import io.sessionkit.core.EndReason;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.LoginOptions;
import io.sessionkit.core.LoginResult;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionEvent;
import io.sessionkit.core.SessionException;
import io.sessionkit.core.SessionInfo;
import io.sessionkit.core.SessionListener;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TtlPolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Shows that the contract's "one behaviour for every store" tests bite: each runs against the
 * in-memory store (all pass) and against stores broken in one way each, as the two stores differed
 * before they shared {@link io.sessionkit.core.SessionStoreCore}; the tests named for that
 * behaviour, and only those, fail.
 */
class BrokenStoresTest {
  private static final Set<String> LOGIN_EVENTS =
      Set.of("aLoginWithoutALiveSessionReportsOnlyTheNewSessionCreated");
  private static final Set<String> COLLISIONS =
      Set.of(
          "createRetriesACollidingIdSixteenTimesThenFailsTheSameWay",
          "loginRetriesACollidingIdSixteenTimesThenFailsTheSameWay",
          "renewIdRetriesACollidingIdSixteenTimesThenFailsTheSameWay");

  /** The outcome of the contract's store-core tests against one store. */
  private record Run(int tests, Set<String> failed) {}

  private static Run run(Class<? extends SessionStoreContract> contract) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(
                DiscoverySelectors.selectNestedClass(
                    List.of(contract), SessionStoreContract.StoreCore.class))
            .build();
    Launcher launcher = LauncherFactory.create();
    AtomicInteger tests = new AtomicInteger();
    Set<String> failed = ConcurrentHashMap.newKeySet();
    launcher.execute(
        request,
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
              tests.incrementAndGet();
              if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failed.add(
                    id.getSource()
                        .filter(MethodSource.class::isInstance)
                        .map(s -> ((MethodSource) s).getMethodName())
                        .orElse(id.getDisplayName()));
              }
            }
          }
        });
    return new Run(tests.get(), failed);
  }

  @Test
  void theInMemoryStorePassesEveryStoreCoreTest() {
    Run r = run(InMemory.class);
    assertThat(r.tests()).isEqualTo(8);
    assertThat(r.failed()).isEmpty();
  }

  @Test
  void aStoreWhoseLoginDoesNotReportTheNewSessionIsCaught() {
    assertThat(run(LoginWithoutCreated.class).failed()).isEqualTo(LOGIN_EVENTS);
  }

  @Test
  void aStoreThatKeepsWorkingAfterCloseIsCaught() {
    assertThat(run(WorksAfterClose.class).failed())
        .containsExactly("everyCallAfterCloseIsRefusedWithIllegalStateException");
  }

  @Test
  void aStoreThatLetsACodecsExceptionThroughIsCaught() {
    assertThat(run(CodecErrorsUnwrapped.class).failed())
        .containsExactly(
            "aCodecThatThrowsAnythingFailsAsAnEncodingErrorNamingTheAttributeAndWritesNothing");
  }

  @Test
  void aStoreThatGivesUpOnCollisionsWithAnotherExceptionIsCaught() {
    assertThat(run(OtherCollisionFailure.class).failed()).isEqualTo(COLLISIONS);
  }

  // ---------------------------------------------------------------------------------------------
  // The stores. Static nested classes: surefire does not run them on its own, only this test does.

  static class InMemory extends SessionStoreContract {
    @Override
    protected SessionStore newStore(SessionConfig config) {
      return InMemorySessionStore.create(config);
    }

    @Override
    protected long backendOperations(SessionStore store) {
      return store instanceof Delegating d
          ? d.inner.backendOperations()
          : ((InMemorySessionStore) store).backendOperations();
    }
  }

  /** Reports no {@code sessionCreated} for the session a login makes. */
  static final class LoginWithoutCreated extends InMemory {
    @Override
    protected SessionConfig.Builder baseConfig() {
      RecordingSessionListener recorder = events;
      SessionListener filtered =
          new SessionListener() {
            @Override
            public void sessionCreated(SessionEvent event) {
              if (event.userId() == null) {
                recorder.sessionCreated(event);
              }
            }

            @Override
            public void sessionIdChanged(SessionEvent event, String previousHandle) {
              recorder.sessionIdChanged(event, previousHandle);
            }

            @Override
            public void sessionEnded(SessionEvent event, EndReason reason) {
              recorder.sessionEnded(event, reason);
            }

            @Override
            public void invalidIdPresented(String source) {
              recorder.invalidIdPresented(source);
            }
          };
      return SessionConfig.builder()
          .ttlPolicy(
              TtlPolicy.builder()
                  .idleTimeout(IDLE)
                  .absoluteTimeout(ABSOLUTE)
                  .touchInterval(TOUCH)
                  .build())
          .clock(clock)
          .addListener(filtered)
          .auditLogging(false)
          .tombstoneTtl(TOMBSTONE);
    }
  }

  /** Ignores close(). */
  static final class WorksAfterClose extends InMemory {
    @Override
    protected SessionStore newStore(SessionConfig config) {
      return new Delegating(InMemorySessionStore.create(config)) {
        @Override
        public void close() {}
      };
    }
  }

  /** Lets what a codec threw through instead of an AttributeEncodingException. */
  static final class CodecErrorsUnwrapped extends InMemory {
    @Override
    protected SessionStore newStore(SessionConfig config) {
      return new Delegating(InMemorySessionStore.create(config)) {
        @Override
        <T> T call(Supplier<T> operation) {
          try {
            return operation.get();
          } catch (AttributeEncodingException e) {
            if (e.getCause() instanceof RuntimeException cause) {
              throw cause;
            }
            throw e;
          }
        }
      };
    }
  }

  /** Fails an exhausted id draw with IllegalStateException instead of SessionException. */
  static final class OtherCollisionFailure extends InMemory {
    @Override
    protected SessionStore newStore(SessionConfig config) {
      return new Delegating(InMemorySessionStore.create(config)) {
        @Override
        <T> T call(Supplier<T> operation) {
          try {
            return operation.get();
          } catch (SessionException e) {
            if (e.getClass() == SessionException.class) {
              throw new IllegalStateException(e.getMessage(), e);
            }
            throw e;
          }
        }
      };
    }
  }

  /**
   * Forwards every call to an in-memory store through {@link #call}, which a broken store bends.
   */
  static class Delegating implements SessionStore {
    final InMemorySessionStore inner;

    Delegating(InMemorySessionStore inner) {
      this.inner = inner;
    }

    <T> T call(Supplier<T> operation) {
      return operation.get();
    }

    @Override
    public Session create(SessionChanges initial) {
      return call(() -> inner.create(initial));
    }

    @Override
    public AccessResult access(@Nullable String id, AccessMode mode) {
      return call(() -> inner.access(id, mode));
    }

    @Override
    public boolean update(@Nullable String id, SessionChanges changes) {
      return call(() -> inner.update(id, changes));
    }

    @Override
    public Optional<Session> renewId(@Nullable String id) {
      return call(() -> inner.renewId(id));
    }

    @Override
    public LoginResult login(@Nullable String currentId, String userId, LoginOptions options) {
      return call(() -> inner.login(currentId, userId, options));
    }

    @Override
    public boolean delete(@Nullable String id, EndReason reason) {
      return call(() -> inner.delete(id, reason));
    }

    @Override
    public List<SessionInfo> listForUser(String userId) {
      return call(() -> inner.listForUser(userId));
    }

    @Override
    public boolean deleteByHandle(String userId, String handle, EndReason reason) {
      return call(() -> inner.deleteByHandle(userId, handle, reason));
    }

    @Override
    public int deleteAllForUser(String userId, @Nullable String keepId, EndReason reason) {
      return call(() -> inner.deleteAllForUser(userId, keepId, reason));
    }

    @Override
    public SessionConfig config() {
      return inner.config();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
