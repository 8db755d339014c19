package io.sessionkit.examples;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionkit.core.InMemorySessionStore;
import io.sessionkit.core.Session;
import io.sessionkit.core.SessionChanges;
import io.sessionkit.core.SessionConfig;
import io.sessionkit.core.SessionStore;
import io.sessionkit.micrometer.SessionKitMetrics;
import io.sessionkit.redis.RedisOptions;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link ModuleDescriptorsTest} in a JVM of its own, with SessionKit's jars on the module
 * path and this class on the class path: the stores work as named modules (Jackson, Caffeine and
 * SLF4J reached through the descriptors' {@code requires}, nothing reflected into a package that is
 * not open). Prints one line per check; exits non-zero on the first failure.
 */
public final class ModulePathProbe {
  private ModulePathProbe() {}

  public static void main(String[] args) {
    for (Class<?> c : List.of(SessionStore.class, RedisOptions.class, SessionKitMetrics.class)) {
      Module m = c.getModule();
      if (!m.isNamed()) {
        fail(c.getName() + " was loaded from the class path, not from a named module");
      }
      System.out.println("module " + m.getName());
    }
    SessionKitMetrics metrics = SessionKitMetrics.create(new SimpleMeterRegistry());
    try (SessionStore store =
        metrics.observe(
            InMemorySessionStore.create(metrics.register(SessionConfig.builder()).build()))) {
      Map<String, Object> cart = Map.of("items", List.of("book", "pen"), "total", 12.5);
      Session created = store.create(SessionChanges.builder().set("cart", cart).build());
      Object back =
          store.access(created.id()).session().orElseThrow().attribute("cart").orElseThrow();
      if (!cart.equals(back)) {
        fail("attribute did not round-trip: " + back);
      }
      System.out.println("round-trip ok");
    }
    RedisOptions.fromUri("redis://127.0.0.1:6379"); // parsed only, never connected
    System.out.println("redis options ok");
  }

  private static void fail(String message) {
    System.out.println("FAILED " + message);
    System.exit(1);
  }
}
