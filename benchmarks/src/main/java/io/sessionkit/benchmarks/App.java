package io.sessionkit.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.redis.NearCache;
import io.sessionkit.redis.NearCacheOptions;
import io.sessionkit.redis.RedisConnector;
import io.sessionkit.redis.RedisOptions;
import io.sessionkit.redis.RedisSessionStore;
import io.sessionkit.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * One app of the comparison: a minimal Jetty 12 (ee10) server on 127.0.0.1 with the same {@link
 * Endpoints}, differing only by the session filter in front of them. Each app opens its own Redis
 * connection(s) and closes them with the server.
 */
final class App implements AutoCloseable {

  /** The five apps, in the order they run. */
  enum Kind {
    NO_SESSION("a", "no session (ceiling)"),
    SESSIONKIT("b", "SessionKit on Redis"),
    SESSIONKIT_NEAR_CACHE("c", "SessionKit on Redis + near cache"),
    SPRING_REDIS("d", "Spring Session RedisSessionRepository"),
    SPRING_INDEXED("e", "Spring Session RedisIndexedSessionRepository"),
    PLAIN_HGETALL("f", "one plain HGETALL per request (floor)");

    final String letter;
    final String label;

    Kind(String letter, String label) {
      this.letter = letter;
      this.label = label;
    }

    boolean usesRedis() {
      return this != NO_SESSION;
    }

    /**
     * @return whether requests carry a session cookie ((a) and (f) have no sessions)
     */
    boolean hasSessions() {
      return this != NO_SESSION && this != PLAIN_HGETALL;
    }
  }

  private final Kind kind;
  private final Server server;
  private final List<AutoCloseable> resources;

  private App(Kind kind, Server server, List<AutoCloseable> resources) {
    this.kind = kind;
    this.server = server;
    this.resources = resources;
  }

  /** Starts the app against the Redis at {@code host:port}. */
  static App start(Kind kind, String host, int redisPort) throws Exception {
    List<AutoCloseable> resources = new ArrayList<>();
    Filter filter = null;
    Endpoints.Login login = Endpoints.Login.SESSIONKIT;
    switch (kind) {
      case NO_SESSION -> login = Endpoints.Login.NONE;
      case SESSIONKIT, SESSIONKIT_NEAR_CACHE -> {
        RedisConnector redis =
            RedisConnector.connect(RedisOptions.fromUri("redis://" + host + ":" + redisPort));
        resources.add(0, redis);
        SessionConfig config = SessionConfig.builder().auditLogging(false).build();
        RedisSessionStore plain = RedisSessionStore.create(redis, config);
        SessionStore store = plain;
        if (kind == Kind.SESSIONKIT_NEAR_CACHE) {
          NearCache near = NearCache.create(redis, NearCacheOptions.defaults());
          resources.add(0, near);
          store = near.sessions(plain);
        }
        resources.add(0, store);
        filter = SessionFilter.builder(store).build();
      }
      case PLAIN_HGETALL -> {
        login = Endpoints.Login.NONE;
        RedisClient client = RedisClient.create(RedisURI.create(host, redisPort));
        StatefulRedisConnection<String, String> c = client.connect(StringCodec.UTF8);
        resources.add(0, client::shutdown);
        resources.add(0, c);
        filter = new HgetallFilter(c.sync());
      }
      case SPRING_REDIS, SPRING_INDEXED -> {
        login = Endpoints.Login.SPRING;
        LettuceConnectionFactory factory =
            new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, redisPort));
        factory.afterPropertiesSet();
        factory.start();
        resources.add(0, factory::destroy);
        // As Spring Session's own configuration sets it up: string keys, JDK-serialized values.
        RedisTemplate<String, Object> template = new RedisTemplate<>();
        template.setConnectionFactory(factory);
        template.setKeySerializer(RedisSerializer.string());
        template.setHashKeySerializer(RedisSerializer.string());
        template.afterPropertiesSet();
        if (kind == Kind.SPRING_REDIS) {
          filter = new SessionRepositoryFilter<>(new RedisSessionRepository(template));
        } else {
          filter = new SessionRepositoryFilter<>(new RedisIndexedSessionRepository(template));
        }
      }
    }

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("app-" + kind.letter);
    Server server = new Server(threads);
    ServerConnector http = new ServerConnector(server);
    http.setHost("127.0.0.1");
    http.setPort(0);
    server.addConnector(http);
    ServletContextHandler context = new ServletContextHandler("/");
    if (filter != null) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.allOf(DispatcherType.class));
    }
    ServletHolder endpoints = new ServletHolder("endpoints", new Endpoints(login));
    for (String path : new String[] {"/login", "/read", "/write"}) {
      context.addServlet(endpoints, path);
    }
    server.setHandler(context);
    server.start();
    return new App(kind, server, resources);
  }

  Kind kind() {
    return kind;
  }

  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    @Nullable Exception first = null;
    try {
      server.stop();
    } catch (Exception e) {
      first = e;
    }
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw new IllegalStateException(
          "(" + kind.letter + ") did not stop cleanly: " + first, first);
    }
  }

  /**
   * App (f)'s filter: exactly one plain {@code HGETALL} of a session-sized hash per request,
   * through one shared Lettuce connection, and nothing else (no cookie, no id check, no decoding):
   * the physical limit of a one-round-trip session design on the machine at hand. The hashes are
   * shaped like a signed-in SessionKit session (10 fields: 6 system fields and 4 small attributes)
   * and written once at start; requests take them in turn.
   */
  static final class HgetallFilter implements Filter {
    static final int HASHES = 1000;
    private final RedisCommands<String, String> redis;
    private final AtomicLong next = new AtomicLong();

    HgetallFilter(RedisCommands<String, String> redis) {
      this.redis = redis;
      long now = System.currentTimeMillis();
      for (int i = 0; i < HASHES; i++) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("c", Long.toString(now));
        h.put("a", Long.toString(now));
        h.put("u", "user-" + i);
        h.put("k", String.format(Locale.ROOT, "%022d", i));
        h.put("n", Long.toString(now));
        h.put("z", "62");
        h.put(".a1", "\"value-1\"");
        h.put(".a2", "\"value-2\"");
        h.put(".a3", "3");
        h.put(".a4", "\"en-GB\"");
        redis.hset(key(i), h);
      }
    }

    private static String key(long i) {
      return "bench:f:{" + (i % HASHES) + "}:s:" + i;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      redis.hgetall(key(next.getAndIncrement() % HASHES));
      chain.doFilter(request, response);
    }
  }
}
