package io.sessionkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sessionkit.core.JsonAttributeCodec;
import io.sessionkit.core.LoginPolicy;
import io.sessionkit.core.OnLimit;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.core.TtlPolicy;
import io.sessionkit.servlet.testsupport.BoundValue;
import io.sessionkit.servlet.testsupport.Browser;
import io.sessionkit.servlet.testsupport.Container;
import io.sessionkit.servlet.testsupport.Gate;
import io.sessionkit.servlet.testsupport.ProbeServlet;
import io.sessionkit.servlet.testsupport.ServletServer;
import io.sessionkit.servlet.testsupport.SwitchableStore;
import io.sessionkit.servlet.testsupport.TestApp;
import io.sessionkit.testkit.CountingAttributeCodec;
import io.sessionkit.testkit.MutableClock;
import io.sessionkit.testkit.RecordingSessionListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HttpSession behaviour of {@link SessionFilter}, over real HTTP, specified once and run on
 * each container and store by a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class HttpSessionBehaviourSuite {
  /** The device type whose login limit is 1 (kick-out tests). */
  protected static final String BROWSER = "browser";

  protected static final String NAME = CookieSettings.DEFAULT_NAME;

  protected final MutableClock clock = MutableClock.startingNow();
  protected final RecordingSessionListener events = new RecordingSessionListener();
  protected final List<String> idChanges = new CopyOnWriteArrayList<>();
  protected final AtomicInteger sessionsCreated = new AtomicInteger();
  protected final AtomicInteger sessionsDestroyed = new AtomicInteger();

  /** The store's codec, counting per attribute how often it encodes and decodes. */
  protected final CountingAttributeCodec codec =
      new CountingAttributeCodec(
          JsonAttributeCodec.builder().allowType(BoundValue.ALIAS, BoundValue.class).build());

  protected SessionStore store;
  protected SwitchableStore switchable;
  protected ServletServer server;

  /**
   * @return the container to run on
   */
  protected abstract Container container();

  /**
   * @param config the configuration the store must use
   * @return a new, empty store
   */
  protected abstract SessionStore createStore(SessionConfig config);

  /**
   * How many times the store was used so far: calls on the {@code SessionStore} interface by
   * default, Redis commands where a subclass can count them.
   *
   * @return the count
   */
  protected long backendCalls() {
    return switchable.calls();
  }

  /** Releases what {@link #createStore} started. */
  protected void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected SessionConfig config() {
    return SessionConfig.builder()
        .clock(clock)
        .codec(codec)
        .ttlPolicy(
            TtlPolicy.builder()
                .idleTimeout(Duration.ofMinutes(30))
                .absoluteTimeout(Duration.ofHours(8))
                .touchInterval(Duration.ZERO)
                .build())
        .loginPolicy(
            LoginPolicy.builder().maxSessionsPerDeviceType(1).onLimit(OnLimit.EVICT_OLDEST).build())
        .addListener(events)
        .build();
  }

  @BeforeAll
  void startServer() {
    ProbeServlet.CLOCK.set(clock);
    ProbeServlet.enableMdc();
    store = createStore(config());
    switchable = new SwitchableStore(store);
    HttpSessionIdListener ids =
        new HttpSessionIdListener() {
          @Override
          public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            idChanges.add(oldSessionId + "->" + event.getSession().getId());
          }
        };
    HttpSessionListener lifecycle =
        new HttpSessionListener() {
          @Override
          public void sessionCreated(HttpSessionEvent se) {
            sessionsCreated.incrementAndGet();
          }

          @Override
          public void sessionDestroyed(HttpSessionEvent se) {
            sessionsDestroyed.incrementAndGet();
            // Invalidation must complete whatever a listener does (Jetty CVE-2021-34428).
            throw new IllegalStateException("listener failure (test)");
          }
        };
    SessionFilter filter =
        SessionFilter.builder(switchable)
            .rejectEndedSessions("/api/")
            .passivePaths("/poll/")
            .addListener(ids)
            .addListener(lifecycle)
            .build();
    server = container().start(new TestApp(filter));
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    closeStore();
  }

  @BeforeEach
  void resetRecorders() {
    switchable.down(false);
    events.clear();
    idChanges.clear();
    sessionsCreated.set(0);
    sessionsDestroyed.set(0);
    BoundValue.reset();
  }

  protected Browser browser() {
    return new Browser(NAME);
  }

  protected URI app(String commands) {
    return server.uri("/app/probe?do=" + URLEncoder.encode(commands, StandardCharsets.UTF_8));
  }

  protected URI api(String commands) {
    return server.uri("/api/probe?do=" + URLEncoder.encode(commands, StandardCharsets.UTF_8));
  }

  private static List<String> attributes(String setCookie) {
    return Arrays.stream(setCookie.split(";")).map(String::strip).toList();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void requestWithoutCookieCreatesNothingAndCallsNoStore() {
    long before = backendCalls();
    Browser.Response r = browser().get(app("get"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.line("session")).isEqualTo("none");
    assertThat(r.header("Set-Cookie")).isEmpty();
    assertThat(backendCalls() - before).isZero();
  }

  @Test
  void anAnonymousRequestThatStoresNothingCostsNoStoreCallAndNoCookie() {
    long before = backendCalls();
    Browser b = browser();
    Browser.Response r = b.get(app("create,attr:a,names,isNew"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.line("new")).isEqualTo("true");
    assertThat(r.header("Set-Cookie")).isEmpty();
    assertThat(backendCalls() - before)
        .as("store calls (Redis commands for the Redis store)")
        .isZero();
    assertThat(b.cookie()).isNull();
  }

  @Test
  void newSessionGetsOneSecureHostOnlyCookieAndNoStore() {
    Browser b = browser();
    long before = backendCalls();
    Browser.Response r = b.get(app("create,set:a:1"));
    assertThat(r.line("new")).isEqualTo("true");
    // Created with its first attribute in one store call.
    assertThat(backendCalls() - before).isEqualTo(1);
    assertThat(r.header("Set-Cookie")).hasSize(1);
    List<String> attrs = attributes(r.setCookies(NAME).get(0));
    assertThat(attrs.get(0)).startsWith(NAME + "=");
    assertThat(store.config().idGenerator().isWellFormed(attrs.get(0).substring(NAME.length() + 1)))
        .isTrue();
    assertThat(attrs.subList(1, attrs.size()))
        .containsExactlyInAnyOrder("Path=/", "Secure", "HttpOnly", "SameSite=Lax");
    assertThat(r.header("Cache-Control"))
        .anySatisfy(v -> assertThat(v).contains("no-store").contains("private"));
    assertThat(r.body()).doesNotContain(b.cookie());
    assertThat(r.header("Set-Cookie")).noneMatch(v -> v.startsWith("JSESSIONID"));
  }

  @Test
  void secureIsWrittenOnPlainHttpWhateverForwardedProtoSays() {
    Browser b = browser();
    Browser.Response r =
        b.send(
            HttpRequest.newBuilder(app("create,get")).header("X-Forwarded-Proto", "http").build());
    assertThat(attributes(r.setCookies(NAME).get(0))).contains("Secure");
  }

  @Test
  void attributesPersistAndTheSessionIsNoLongerNew() {
    Browser b = browser();
    b.get(app("create,set:a:1,setLong:n:5"));
    String cookie = b.cookie();
    Browser.Response r = b.get(app("isNew,attr:a,attr:n,names"));
    assertThat(r.line("isNew")).isEqualTo("false");
    assertThat(r.line("a")).isEqualTo("1");
    assertThat(r.line("n")).isEqualTo("5");
    assertThat(r.line("names")).isEqualTo("[a, n]");
    assertThat(r.header("Set-Cookie")).isEmpty();
    assertThat(b.cookie()).isEqualTo(cookie);
  }

  @Test
  void aReadCostsOneStoreCallAndChangesOneMore() {
    Browser b = browser();
    b.get(app("create,set:a:1"));
    long before = backendCalls();
    b.get(app("attr:a"));
    assertThat(backendCalls() - before).as("read-only request").isEqualTo(1);
    before = backendCalls();
    b.get(app("set:b:2,set:b:3,set:c:4,attr:a"));
    assertThat(backendCalls() - before).as("request with changes").isEqualTo(2);
    before = backendCalls();
    b.get(app("set:a:1"));
    assertThat(backendCalls() - before).as("setting the value the store holds").isEqualTo(1);
    assertThat(b.get(app("attr:b,attr:c")).body()).contains("b=3").contains("c=4");
  }

  @Test
  void objectsMutatedInPlaceAreSaved() {
    Browser b = browser();
    b.get(app("append:list:x"));
    b.get(app("append:list:y"));
    assertThat(b.get(app("attr:list")).line("list")).isEqualTo("[x, y]");
  }

  // Encodings per request (see StoreHttpSession): each test uses attribute names of its own, as the
  // codec counts for the whole suite.

  @Test
  void aStringSetInARequestIsEncodedOnceAndAStringOnlyReadNever() {
    Browser b = browser();
    b.get(app("create,set:encNew:v"));
    assertThat(codec.encodings("encNew"))
        .as("set in the request that creates the session")
        .isEqualTo(1);
    b.get(app("set:encOld:v"));
    assertThat(codec.encodings("encOld")).as("set in a later request").isEqualTo(1);
    codec.reset();
    assertThat(b.get(app("attr:encOld")).line("encOld")).isEqualTo("v");
    assertThat(codec.encodings("encOld")).as("only read").isZero();
  }

  @Test
  void aMutableValueReadAndChangedInPlaceIsEncodedOnceAndSaved() {
    Browser b = browser();
    b.get(app("put:encMap:k1:v1,append:encList:x"));
    codec.reset();
    b.get(app("put:encMap:k2:v2,append:encList:y"));
    assertThat(codec.encodings("encMap")).isEqualTo(1);
    assertThat(codec.encodings("encList")).isEqualTo(1);
    Browser.Response r = b.get(app("attr:encMap,attr:encList"));
    assertThat(r.line("encMap")).isEqualTo("{k1=v1, k2=v2}");
    assertThat(r.line("encList")).isEqualTo("[x, y]");
  }

  @Test
  void aMutableValueChangedAfterSetAttributeIsSavedForASecondEncoding() {
    Browser b = browser();
    b.get(app("create,setThenAppend:encLate:a:b"));
    assertThat(codec.encodings("encLate")).as("at setAttribute and at commit").isEqualTo(2);
    assertThat(b.get(app("attr:encLate")).line("encLate")).isEqualTo("[a, b]");
  }

  @Test
  void anAttributeThatCannotBeDecodedIsLoggedOncePerRequest() throws IOException {
    Browser b = browser();
    b.get(app("create,set:encBroken:x"));
    codec.refuseToDecode("encBroken");
    Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
    long start = Files.size(log);
    Browser.Response r = b.get(app("attr:encBroken,attr:encBroken,attr:encBroken"));
    assertThat(r.body().lines().filter(l -> l.equals("encBroken=null"))).hasSize(3);
    byte[] all = Files.readAllBytes(log);
    String logged = new String(all, (int) start, all.length - (int) start, StandardCharsets.UTF_8);
    assertThat(
            logged
                .lines()
                .filter(
                    l -> l.contains("Attribute 'encBroken'") && l.contains("cannot be decoded")))
        .hasSize(1);
  }

  @Test
  void theLastWriteOfARequestWins() {
    Browser b = browser();
    b.get(app("create,set:a:1"));
    b.get(app("set:a:2,set:a:3,set:a:1"));
    assertThat(b.get(app("attr:a")).line("a")).isEqualTo("1");
    b.get(app("set:a:2,remove:a,set:a:5"));
    assertThat(b.get(app("attr:a")).line("a")).isEqualTo("5");
    b.get(app("set:a:6,remove:a"));
    assertThat(b.get(app("attr:a,names")).line("a")).isEqualTo("null");
  }

  @Test
  void invalidateEndsTheSessionAtOnceAndDeletesTheCookie() {
    Browser b = browser();
    b.get(app("create,set:a:1"));
    String old = b.cookie();
    Browser.Response r = b.get(app("invalidate"));
    assertThat(r.line("afterInvalidate")).isEqualTo("ise");
    assertThat(r.setCookies(NAME)).hasSize(1);
    List<String> attrs = attributes(r.setCookies(NAME).get(0));
    assertThat(attrs)
        .contains(
            NAME + "=",
            "Path=/",
            "Max-Age=0",
            "Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "Secure",
            "HttpOnly",
            "SameSite=Lax");
    assertThat(r.header("Cache-Control")).anySatisfy(v -> assertThat(v).contains("no-store"));
    assertThat(b.cookie()).isNull();

    b.cookie(old);
    Browser.Response replay = b.get(app("get,endReason,attr:a"));
    assertThat(replay.line("session")).isEqualTo("none");
    assertThat(replay.line("endReason")).isEqualTo("logout attribute=true");
    assertThat(replay.line("a")).isEqualTo("nosession");
    assertThat(replay.setCookies(NAME))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("Max-Age=0"));
  }

  @Test
  void sessionListenersAreToldAndAThrowingOneDoesNotStopInvalidation() {
    Browser b = browser();
    b.get(app("create,get"));
    assertThat(sessionsCreated.get()).isEqualTo(1);
    String id = b.cookie();
    Browser.Response r = b.get(app("invalidate"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(sessionsDestroyed.get()).isEqualTo(1);
    b.cookie(id);
    assertThat(b.get(app("get")).line("session")).isEqualTo("none");
  }

  @Test
  void invalidateThenGetSessionGivesAFreshSessionWithoutTheOldAttributes() {
    Browser b = browser();
    b.get(app("create,set:a:1"));
    String old = b.cookie();
    Browser.Response r = b.get(app("invalidate,create,attr:a,set:b:2"));
    assertThat(r.line("new")).isEqualTo("true");
    assertThat(r.line("a")).isEqualTo("null");
    assertThat(r.setCookies(NAME)).hasSize(1);
    assertThat(b.cookie()).isNotNull().isNotEqualTo(old);
    assertThat(b.get(app("attr:b")).line("b")).isEqualTo("2");
    b.cookie(old);
    assertThat(b.get(app("get")).line("session")).isEqualTo("none");
  }

  @Test
  void changeSessionIdKeepsTheAttributesKillsTheOldIdAndTellsTheListener() {
    Browser b = browser();
    b.get(app("create,set:a:1"));
    String old = b.cookie();
    Browser.Response r = b.get(app("changeId,set:b:2"));
    assertThat(r.line("changed")).isEqualTo("true");
    assertThat(r.setCookies(NAME)).hasSize(1);
    assertThat(b.cookie()).isNotEqualTo(old);
    assertThat(idChanges).hasSize(1);
    Browser.Response after = b.get(app("attr:a,attr:b"));
    assertThat(after.line("a")).isEqualTo("1");
    assertThat(after.line("b")).isEqualTo("2");
    b.cookie(old);
    assertThat(b.get(app("get")).line("session")).isEqualTo("none");
  }

  @Test
  void rotateSetAndInvalidateInOneRequestEmitOneSetCookie() {
    Browser b = browser();
    b.get(app("create,get"));
    Browser.Response r = b.get(app("changeId,set:z:1,invalidate"));
    assertThat(r.header("Set-Cookie")).hasSize(1);
    assertThat(r.setCookies(NAME).get(0)).contains("Max-Age=0");
  }

  @Test
  void changesAreWrittenAndTheCookieSetBeforeAnEarlyFlush() {
    for (String flush : List.of("flush", "flushWriter", "write:100000")) {
      Browser b = browser();
      Browser.Response r = b.get(app("create,set:a:" + flush.length() + "," + flush + ",write:10"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.setCookies(NAME)).as(flush).hasSize(1);
      assertThat(b.get(app("attr:a")).line("a"))
          .as(flush)
          .isEqualTo(String.valueOf(flush.length()));
    }
  }

  @Test
  void changesAfterAnEarlyFlushAreStillWritten() {
    Browser b = browser();
    b.get(app("create,set:a:1,flush,set:b:2"));
    assertThat(b.get(app("attr:a,attr:b")).body()).contains("a=1").contains("b=2");
  }

  @Test
  void changesMadeByTheAsynchronousPartOfARequestAreWrittenWhenItCompletes()
      throws InterruptedException {
    Browser b = browser();
    b.get(app("create,get"));
    assertThat(b.get(app("async:late:1")).body()).contains("async=done");
    // Written when the async request completes, which may be just after the client has the
    // response.
    String late = null;
    for (int i = 0; i < 100 && !"1".equals(late); i++) {
      late = b.get(app("attr:late")).line("late");
      if (!"1".equals(late)) {
        Thread.sleep(50);
      }
    }
    assertThat(late).isEqualTo("1");
  }

  private static void assertNoContainerSession(Browser.Response r) {
    assertThat(r.header("Set-Cookie"))
        .noneMatch(v -> v.toUpperCase(Locale.ROOT).startsWith("JSESSIONID"));
  }

  @Test
  void sessionWorkOnTheAsyncThreadThroughAsyncContextGoesThroughTheFilter() {
    Browser b = browser();
    Browser.Response created = b.get(app("asyncRest,set:x:1,get"));
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.body()).doesNotContain("asyncError");
    assertThat(created.line("session")).isNotEqualTo("none");
    assertThat(created.setCookies(NAME))
        .as("the cookie of a session created on the async thread")
        .hasSize(1);
    assertThat(created.header("Cache-Control")).anySatisfy(v -> assertThat(v).contains("no-store"));
    assertNoContainerSession(created);
    assertThat(b.get(app("attr:x")).line("x")).isEqualTo("1");

    String anonymous = b.cookie();
    Browser.Response login = b.get(app("set:a:1,asyncRest,loginCarry:async-user:a+x,user"));
    assertThat(login.line("login")).isEqualTo("accepted");
    assertThat(login.setCookies(NAME))
        .as("the cookie of a login completed on the async thread")
        .hasSize(1);
    assertNoContainerSession(login);
    assertThat(b.cookie()).isNotEqualTo(anonymous);
    assertThat(b.get(app("user,attr:a,attr:x")).body())
        .contains("user=async-user")
        .contains("a=1")
        .contains("x=1");

    String loggedIn = b.cookie();
    Browser.Response logout = b.get(app("asyncRest,invalidate"));
    assertThat(logout.line("afterInvalidate")).isEqualTo("ise");
    assertThat(logout.setCookies(NAME))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("Max-Age=0"));
    assertNoContainerSession(logout);
    Browser replay = browser();
    replay.cookie(loggedIn);
    assertThat(replay.get(app("get")).line("session"))
        .as("the async logout ended the session")
        .isEqualTo("none");

    // A body written through AsyncContext.getResponse() that fills the buffer runs the guard first.
    Browser c = browser();
    Browser.Response big = c.get(app("asyncRest,set:y:1,write:100000"));
    assertThat(big.setCookies(NAME)).hasSize(1);
    assertThat(c.get(app("attr:y")).line("y")).isEqualTo("1");
  }

  @Test
  void theSessionCookieAndNoStoreSurviveHeadersTheApplicationRewritesAfterTheGuardRan() {
    List<String> rewrites =
        List.of(
            "contentLength,setHeader:Cache-Control:public,addHeader:Cache-Control:max-age=600,setHeader:Set-Cookie:other=1",
            "contentLength,setHeader:CDN-Cache-Control:max-age=600,addHeader:Surrogate-Control:max-age=600",
            "contentLength,reset,setHeader:Cache-Control:public",
            "contentLength,addHeader:Set-Cookie:"
                + NAME
                + "=attacker,setHeader:Set-Cookie:other=2");
    for (String rewrite : rewrites) {
      Browser b = browser();
      Browser.Response r = b.get(app("set:a:1," + rewrite + ",ok"));
      assertThat(r.status()).as(rewrite).isEqualTo(200);
      assertThat(r.body()).as(rewrite).isEqualTo("ok");
      assertThat(r.setCookies(NAME))
          .as(rewrite)
          .singleElement()
          .satisfies(v -> assertThat(v).doesNotContain("attacker"));
      assertThat(r.header("Cache-Control")).as(rewrite).containsExactly("private, no-store");
      assertThat(r.header("CDN-Cache-Control")).as(rewrite).isEmpty();
      assertThat(r.header("Surrogate-Control")).as(rewrite).isEmpty();
      assertThat(b.get(app("attr:a")).line("a")).as(rewrite).isEqualTo("1");
    }
    // The application's other cookies are kept.
    Browser.Response kept =
        browser().get(app("set:a:1,contentLength,setHeader:Set-Cookie:other=1,ok"));
    assertThat(kept.header("Set-Cookie")).anySatisfy(v -> assertThat(v).startsWith("other=1"));
  }

  @Test
  void theGuardCountsBytesForAnyCharset() {
    for (String charset : List.of("UTF-32", "UTF-16", "UTF-8", "ISO-8859-1")) {
      Browser b = browser();
      Browser.Response r =
          b.get(
              server.uri(
                  "/app/probe?charset="
                      + charset
                      + "&do="
                      + URLEncoder.encode("set:a:1,write:10000", StandardCharsets.UTF_8)));
      assertThat(r.status()).as(charset).isEqualTo(200);
      assertThat(r.setCookies(NAME)).as(charset).hasSize(1);
      assertThat(r.header("Cache-Control")).as(charset).containsExactly("private, no-store");
      assertThat(b.get(app("attr:a")).line("a")).as(charset).isEqualTo("1");
    }
  }

  @Test
  void redirectAndErrorResponsesCarryTheCookie() {
    Browser b = browser();
    Browser.Response r = b.get(app("create,set:a:1,redirect"));
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.setCookies(NAME)).hasSize(1);
    assertThat(b.get(app("attr:a")).line("a")).isEqualTo("1");

    Browser c = browser();
    Browser.Response e = c.get(app("create,set:a:2,error"));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.setCookies(NAME)).hasSize(1);
    assertThat(c.get(app("attr:a")).line("a")).isEqualTo("2");
  }

  @Test
  void setMaxInactiveIntervalSetsThisSessionsIdleTimeout() {
    Browser b = browser();
    b.get(app("create,maxInactive:60"));
    assertThat(b.get(app("printMax")).line("max")).isEqualTo("60");
    clock.advance(Duration.ofSeconds(61));
    Browser.Response r = b.get(app("get"));
    assertThat(r.line("session")).isEqualTo("none");
    Browser other = browser();
    other.get(app("create,get"));
    assertThat(other.get(app("printMax")).line("max")).isEqualTo(String.valueOf(30 * 60));
  }

  @Test
  void creationAndLastAccessTimesComeFromTheStore() {
    Browser b = browser();
    long created = clock.instant().toEpochMilli();
    b.get(app("create,get"));
    clock.advance(Duration.ofSeconds(5));
    Browser.Response r = b.get(app("times"));
    assertThat(Long.parseLong(r.line("created"))).isEqualTo(created);
    assertThat(Long.parseLong(r.line("lastAccessed")))
        .isBetween(created, clock.instant().toEpochMilli());
  }

  @Test
  void theCreationTimeIsTheSameInTheCreatingRequestAndTheNext() {
    Browser b = browser();
    // The clock moves while the creating request runs, as real time would.
    Browser.Response first = b.get(app("create,times,advance:5000,set:a:1"));
    Browser.Response second = b.get(app("times"));
    assertThat(second.line("created")).isEqualTo(first.line("created"));
    Browser c = browser();
    Browser.Response before = c.get(app("create,advance:3000,times"));
    assertThat(c.get(app("times")).line("created")).isEqualTo(before.line("created"));
  }

  @Test
  void setMaxInactiveIntervalOnAnInvalidatedSessionIsIgnored() {
    Browser b = browser();
    b.get(app("create,get"));
    Browser.Response r = b.get(app("maxAfterInvalidate"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.line("maxAfterInvalidate")).isEqualTo("ignored");
  }

  @Test
  void aNewSessionInvalidatedBeforeItsIdWasReadStillHasAnId() {
    Browser.Response r = browser().get(app("newInvalidatedId"));
    assertThat(r.line("newInvalidatedId")).isEqualTo("stable");
  }

  @Test
  void theRequestedSessionIdIsTheHandleOfAWellFormedIdAndNullForAMalformedOne() {
    Browser b = browser();
    String handle = b.get(app("create,get")).line("session");
    assertThat(b.get(app("requestedId")).line("requestedId")).isEqualTo(handle);
    Browser.Response malformed =
        Browser.raw(
            server.port(), "/app/probe?do=requestedId", List.of("Cookie: " + NAME + "=not-an-id"));
    assertThat(malformed.body()).contains("requestedId=null");
  }

  @Test
  void aBindingListenerThatThrowsIsLoggedAndTheValueStaysBound() {
    Browser b = browser();
    Browser.Response r = b.get(app("bindThrowing:t,names"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.line("names")).isEqualTo("[t]");
    assertThat(b.get(app("names")).line("names")).isEqualTo("[t]");
    Browser.Response removed = b.get(app("remove:t,names"));
    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.line("names")).isEqualTo("[]");
    assertThat(BoundValue.BOUND.get()).isEqualTo(1);
    assertThat(BoundValue.UNBOUND.get()).isEqualTo(1);
  }

  @Test
  void bindingListenersAreToldOfBindAndUnbind() {
    Browser b = browser();
    b.get(app("bind:v"));
    assertThat(BoundValue.BOUND.get()).isEqualTo(1);
    b.get(app("remove:v"));
    assertThat(BoundValue.UNBOUND.get()).isEqualTo(1);
    b.get(app("bind:w"));
    b.get(app("invalidate"));
    assertThat(BoundValue.BOUND.get()).isEqualTo(2);
    assertThat(BoundValue.UNBOUND.get()).isEqualTo(2);
  }

  @Test
  void aValueTheCodecRefusesFailsAtSetAttributeNamingTheAttribute() {
    Browser b = browser();
    assertThat(b.get(app("setBad:weird,names")).body())
        .contains("encodingError=weird")
        .contains("names=[]");
  }

  @Test
  void idsInUrlsAreNeverUsedAndUrlsAreNotRewritten() {
    Browser b = browser();
    b.get(app("create,set:a:1"));
    String id = b.cookie();
    Browser stranger = browser();
    Browser.Response pathParam =
        stranger.get(server.uri("/app/probe;jsessionid=" + id + "?do=get"));
    assertThat(pathParam.line("session")).isEqualTo("none");
    Browser.Response query =
        stranger.get(server.uri("/app/probe?id=" + id + "&" + NAME + "=" + id + "&do=get"));
    assertThat(query.line("session")).isEqualTo("none");
    assertThat(stranger.get(app("encodeUrl")).line("encoded")).isEqualTo("/x?y=1 /z");
    Browser.Response r = b.get(app("requested"));
    assertThat(r.line("requested")).isEqualTo("true fromUrl=false");
  }

  @Test
  void loginRenewsTheIdCarriesTheListedAttributesAndBindsTheUser() {
    Browser b = browser();
    b.get(app("create,set:a:1,set:c:3"));
    String anonymous = b.cookie();
    Browser.Response r = b.get(app("set:b:2,set:d:4,loginCarry:login-user:a+b,user"));
    assertThat(r.line("login")).isEqualTo("accepted");
    assertThat(r.line("user")).isEqualTo("login-user");
    assertThat(r.setCookies(NAME)).hasSize(1);
    assertThat(b.cookie()).isNotEqualTo(anonymous);
    Browser.Response after = b.get(app("attr:a,attr:b,user"));
    assertThat(after.body()).contains("a=1").contains("b=2").contains("user=login-user");
    assertThat(b.get(app("attr:c,attr:d")).body()).contains("c=null").contains("d=null");
    b.cookie(anonymous);
    assertThat(b.get(app("get")).line("session")).isEqualTo("none");
  }

  @Test
  void byDefaultALoginCarriesNothingFromTheAnonymousSession() {
    Browser b = browser();
    b.get(app("create,set:returnTo:evil"));
    assertThat(b.get(app("set:planted:1,login:plain-user")).line("login")).isEqualTo("accepted");
    Browser.Response after = b.get(app("attr:returnTo,attr:planted,user"));
    assertThat(after.body())
        .contains("returnTo=null")
        .contains("planted=null")
        .contains("user=plain-user");
    // A session never written before the login: its values do not carry over either.
    Browser fresh = browser();
    assertThat(fresh.get(app("set:planted:2,login:fresh-user")).line("login"))
        .isEqualTo("accepted");
    assertThat(fresh.get(app("attr:planted,user")).body())
        .contains("planted=null")
        .contains("user=fresh-user");
  }

  @Test
  void aRequestInFlightDuringALoginOrIdChangeDoesNotClearTheNewCookie() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (String renewal : List.of("loginCarry:inflight-user:a", "changeId")) {
        Browser b = browser();
        b.get(app("create,set:a:1"));
        String before = b.cookie();
        String gateName =
            container() + "-" + getClass().getSimpleName() + "-" + renewal.replace(':', '_');
        Gate gate = Gate.open(gateName);
        // Started with the old id, held inside the application while another request renews it.
        Future<Browser.Response> slow = pool.submit(() -> b.get(app("set:b:2,await:" + gateName)));
        gate.awaitArrival();
        b.get(app(renewal));
        String renewed = b.cookie();
        assertThat(renewed).as(renewal).isNotNull().isNotEqualTo(before);
        gate.release();
        Browser.Response late = slow.get();
        assertThat(late.status()).as(renewal).isEqualTo(200);
        assertThat(late.setCookies(NAME)).as("the in-flight response of " + renewal).isEmpty();
        assertThat(b.cookie()).as(renewal).isEqualTo(renewed);
        // A request sent with the old id after the renewal (parallel requests of one page).
        Browser stale = browser();
        stale.cookie(before);
        Browser.Response r = stale.get(app("get"));
        assertThat(r.line("session")).as(renewal).isEqualTo("none");
        assertThat(r.setCookies(NAME))
            .as("a late request with the old id after " + renewal)
            .isEmpty();
        assertThat(b.get(app("attr:a")).line("a")).as(renewal).isEqualTo("1");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSessionReplacedByANewerLoginSeesNoSessionTheReasonAndAClearedCookie() {
    Browser first = browser();
    Browser second = browser();
    first.get(app("login:kicked-user:" + BROWSER + ",set:a:1"));
    second.get(app("login:kicked-user:" + BROWSER));
    Browser.Response r = first.get(app("get,endReason,attr:a"));
    assertThat(r.line("session")).isEqualTo("none");
    assertThat(r.line("endReason")).isEqualTo("replaced attribute=true");
    assertThat(r.setCookies(NAME))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("Max-Age=0"));
    assertThat(first.cookie()).isNull();
    assertThat(second.get(app("user")).line("user")).isEqualTo("kicked-user");
  }

  @Test
  void apiPathsAnswer401WithTheReasonForAnEndedSession() {
    Browser first = browser();
    first.get(app("login:api-user:" + BROWSER));
    browser().get(app("login:api-user:" + BROWSER));
    Browser.Response r = first.get(api("get"));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"error\":\"session_ended\",\"reason\":\"replaced\"}");
    assertThat(r.header("Content-Type"))
        .anySatisfy(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.setCookies(NAME))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("Max-Age=0"));
    // The client dropped its id: the next API call is simply anonymous.
    assertThat(first.get(api("get")).line("session")).isEqualTo("none");
  }

  @Test
  void fiftyConcurrentRequestsOnOneSessionEachSettingItsOwnAttributeAllLand() throws Exception {
    Browser b = browser();
    b.get(app("create,get"));
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return b.get(app("set:k" + n + ":v" + n)).status();
                }));
      }
      start.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    String names = b.get(app("names")).line("names");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add("k" + i);
    }
    assertThat(names.substring(1, names.length() - 1).split(", "))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void interleavedRequestsOfDifferentSessionsEachSeeOnlyTheirOwn() throws Exception {
    List<Browser> browsers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Browser b = browser();
      b.get(app("create,set:owner:o" + i));
      browsers.add(b);
    }
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<String>> seen = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int round = 0; round < 10; round++) {
        for (int i = 0; i < browsers.size(); i++) {
          Browser b = browsers.get(i);
          int n = round;
          seen.add(pool.submit(() -> b.get(app("set:r" + n + ":x,attr:owner")).line("owner")));
          expected.add("o" + i);
        }
      }
      for (int i = 0; i < seen.size(); i++) {
        assertThat(seen.get(i).get()).isEqualTo(expected.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < browsers.size(); i++) {
      assertThat(browsers.get(i).get(app("attr:owner,attr:r9")).body())
          .contains("owner=o" + i)
          .contains("r9=x");
    }
  }

  @Test
  void badSessionCookiesNeverFailAndNeverReachTheStore() {
    Browser live = browser();
    live.get(app("create,set:a:1"));
    String id = live.cookie();
    String other = store.config().idGenerator().newAnonymousId();
    String idWith = id.substring(0, id.length() - 3);
    List<List<String>> cookies =
        List.of(
            List.of("Cookie: " + NAME + "="),
            List.of("Cookie: " + NAME + "=" + "A".repeat(8 * 1024)),
            List.of("Cookie: " + NAME + "=" + "é".repeat(45)),
            List.of("Cookie: " + NAME + "=" + idWith + "\u00e9\u00e9"),
            List.of("Cookie: " + NAME + "=" + idWith + "*:{"),
            List.of("Cookie: " + NAME + "=" + "*".repeat(45)),
            List.of("Cookie: " + NAME + "=" + "{".repeat(45)),
            List.of("Cookie: " + NAME + "=" + ":".repeat(45)),
            List.of("Cookie: " + NAME + "=" + idWith + "\r\nX-Injected: " + id),
            List.of("Cookie: " + NAME + "=" + idWith + "\rx"),
            List.of("Cookie: " + NAME + "=\"" + id + "\""),
            List.of("Cookie: " + NAME + "=" + id + "; " + NAME + "=" + other),
            List.of("Cookie: " + NAME + "=" + other, "Cookie: " + NAME + "=" + id),
            List.of("Cookie: lang=\"en; " + NAME + "=" + id + "; x=y\""),
            List.of("Cookie: lang=\"en; " + NAME + "=" + id + "; x=y"));
    long before = backendCalls();
    for (List<String> headers : cookies) {
      Browser.Response r = Browser.raw(server.port(), "/app/probe?do=get", headers);
      assertThat(r.status()).as("%s", headers).isNotEqualTo(500);
      if (r.status() == 200) {
        assertThat(r.body()).as("%s", headers).contains("session=none");
      }
    }
    assertThat(backendCalls() - before).as("store calls for bad cookies").isZero();
    assertThat(events.invalidIdSources()).isNotEmpty().allMatch("cookie"::equals);
  }

  @Test
  void splitCookieHeadersAndRepeatedEqualValuesResolve() {
    Browser live = browser();
    live.get(app("create,set:a:1"));
    String id = live.cookie();
    Browser.Response split =
        Browser.raw(
            server.port(),
            "/app/probe?do=attr:a",
            List.of("Cookie: theme=dark", "Cookie: " + NAME + "=" + id + "; lang=en"));
    assertThat(split.body()).contains("a=1");
    Browser.Response same =
        Browser.raw(
            server.port(),
            "/app/probe?do=attr:a",
            List.of("Cookie: " + NAME + "=" + id + "; " + NAME + "=" + id));
    assertThat(same.body()).contains("a=1");
  }

  @Test
  void anUnavailableStoreGives503WithAShortBodyAndNoStackTraceOrId() {
    Browser b = browser();
    b.get(app("create,set:a:1"));
    String id = b.cookie();
    switchable.down(true);
    try {
      Browser.Response r = b.get(app("attr:a"));
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("{\"error\":\"session_store_unavailable\"}");
      assertThat(r.setCookies(NAME)).isEmpty();
      assertThat(String.join("\n", r.headers().toString(), r.body()))
          .doesNotContain(id)
          .doesNotContain("Exception");

      Browser fresh = browser();
      Browser.Response c = fresh.get(app("create,set:a:1"));
      assertThat(c.status()).isEqualTo(503);
      assertThat(c.body())
          .isEqualTo("{\"error\":\"session_store_unavailable\"}")
          .doesNotContain("at io.");
      assertThat(c.header("Set-Cookie")).isEmpty();

      Browser.Response flushed = fresh.get(app("create,set:a:1,flush"));
      assertThat(flushed.status()).isEqualTo(503);
    } finally {
      switchable.down(false);
    }
    assertThat(b.get(app("attr:a")).line("a")).isEqualTo("1");
  }

  @Test
  void theApplicationCannotSetTheSessionCookieItself() {
    // A second Set-Cookie for the name would let the application fixate an id.
    Browser b = browser();
    Browser.Response r = b.get(app("create,get,fixate"));
    assertThat(r.setCookies(NAME)).hasSize(1);
    assertThat(b.cookie()).isNotEqualTo("attacker");
    assertThat(b.get(app("isNew")).line("isNew")).isEqualTo("false");
  }

  @Test
  void passivePathsReadTheSessionWithoutExtendingIt() {
    Browser b = browser();
    b.get(app("create,set:a:1"));
    clock.advance(Duration.ofMinutes(20));
    assertThat(b.get(server.uri("/poll/probe?do=attr:a")).line("a")).isEqualTo("1");
    clock.advance(Duration.ofMinutes(11));
    // 31 minutes since the last activity that counts: idle timeout (30) passed despite the poll.
    assertThat(b.get(app("get")).line("session")).isEqualTo("none");

    Browser active = browser();
    active.get(app("create,get"));
    clock.advance(Duration.ofMinutes(20));
    active.get(app("get"));
    clock.advance(Duration.ofMinutes(11));
    assertThat(active.get(app("get")).line("session")).isNotEqualTo("none");
  }

  @Test
  void theSessionHandleIsInTheMdcWhileTheFilterHandlesTheRequestAndNeverAfter() {
    Browser b = browser();
    Browser.Response r = b.get(app("mdc:before,create,set:a:1,get,mdc:after"));
    assertThat(r.line("mdc.before")).isEqualTo("null");
    String handle = r.line("session");
    assertThat(r.line("mdc.after")).isEqualTo(handle).isNotEqualTo(b.cookie());
    assertThat(b.get(app("mdc:start")).line("mdc.start")).isEqualTo(handle);
    Browser.Response renewed = b.get(app("changeId,get,mdc:renewed"));
    assertThat(renewed.line("mdc.renewed")).isEqualTo(renewed.line("session")).isNotEqualTo(handle);
    assertThat(b.get(app("invalidate,mdc:gone")).line("mdc.gone")).isEqualTo("null");
    // Requests without a session, on the container's reused threads, never see a handle.
    for (int i = 0; i < 20; i++) {
      assertThat(browser().get(app("mdc:anonymous")).line("mdc.anonymous")).isEqualTo("null");
    }
  }

  /** Runs last: everything the suite logged (slf4j-simple writes to the file failsafe names). */
  @Test
  @Order(Integer.MAX_VALUE)
  void logsNeverHoldARawSessionId() throws IOException {
    String file = System.getProperty("org.slf4j.simpleLogger.logFile");
    assertThat(file).as("failsafe sets org.slf4j.simpleLogger.logFile").isNotNull();
    String log = Files.readString(Path.of(file));
    assertThat(log).as("audit events were logged").contains("event=session_created");
    // Anonymous sessions are audited at DEBUG (anyone can make them), signed-in ones at INFO.
    List<String> created = log.lines().filter(l -> l.contains("event=session_created")).toList();
    assertThat(created)
        .filteredOn(l -> l.contains("user=-"))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains(" DEBUG io.sessionkit.audit"));
    assertThat(created)
        .filteredOn(l -> l.contains("user=\""))
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains(" INFO io.sessionkit.audit"));
    assertThat(Browser.SEEN_IDS).isNotEmpty();
    for (String id : Browser.SEEN_IDS) {
      assertThat(log).doesNotContain(id);
    }
  }
}
