package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.servlet.testsupport.Browser;
import io.sessionkit.servlet.testsupport.Container;
import io.sessionkit.servlet.testsupport.ServletServer;
import io.sessionkit.servlet.testsupport.SwitchableStore;
import io.sessionkit.servlet.testsupport.TestApp;
import java.net.http.HttpRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link IdTransport#HEADER}: the id travels in {@code X-Session-Id} both ways, never in a cookie.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyHeaderTransportIT {
  private static final String HEADER = SessionFilter.DEFAULT_HEADER_NAME;
  private InMemorySessionStore memory;
  private SwitchableStore store;
  private ServletServer server;

  @BeforeAll
  void start() {
    memory = InMemorySessionStore.create(SessionConfig.defaults());
    store = new SwitchableStore(memory);
    server =
        Container.JETTY.start(
            new TestApp(SessionFilter.builder(store).transport(IdTransport.HEADER).build()));
  }

  @AfterAll
  void stop() {
    server.close();
    memory.close();
  }

  private Browser.Response call(String commands, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/app/probe?do=" + commands)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return new Browser("unused").send(b.build());
  }

  private static @Nullable String id(Browser.Response r) {
    return r.header(HEADER).stream().findFirst().orElse(null);
  }

  @Test
  void theIdComesBackInTheHeaderAndIsUsedFromTheHeader() {
    Browser.Response created = call("create,set:a:1");
    String id = id(created);
    assertThat(memory.config().idGenerator().isWellFormed(id)).isTrue();
    assertThat(created.header("Set-Cookie")).isEmpty();
    assertThat(created.header("Cache-Control")).anySatisfy(v -> assertThat(v).contains("no-store"));
    assertThat(created.body()).doesNotContain(id);

    Browser.Response again = call("attr:a", HEADER, id);
    assertThat(again.line("a")).isEqualTo("1");
    assertThat(again.header(HEADER)).isEmpty();
  }

  @Test
  void aCookieIsIgnoredInHeaderMode() {
    String id = id(call("create,set:a:1"));
    assertThat(call("get", "Cookie", CookieSettings.DEFAULT_NAME + "=" + id).line("session"))
        .isEqualTo("none");
  }

  @Test
  void invalidateSendsAnEmptyHeaderAndTheIdIsDead() {
    String id = id(call("create,get"));
    Browser.Response r = call("invalidate", HEADER, id);
    assertThat(r.header(HEADER)).containsExactly("");
    assertThat(call("get", HEADER, id).line("session")).isEqualTo("none");
  }

  @Test
  void twoDifferentIdsInTheHeaderGiveNoSessionAndNoStoreCall() {
    String first = id(call("create,get"));
    String second = id(call("create,get"));
    long before = store.calls();
    Browser.Response r = call("get", HEADER, first, HEADER, second);
    assertThat(r.line("session")).isEqualTo("none");
    assertThat(store.calls() - before).isZero();
  }
}
