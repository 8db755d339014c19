package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build check that no module reaches into another module's {@code .internal} packages: it scans
 * the Java sources of every module of the repository (main and test), learns which module owns each
 * {@code io.sessionkit.*.internal} package from the package declarations, and fails on any import
 * or fully qualified reference to an internal package owned by another module. What another module
 * needs is public API ({@link Digests}, {@link SessionStoreCore}, ...).
 */
class ModuleBoundariesTest {
  private static final Pattern PACKAGE =
      Pattern.compile("(?m)^package\\s+(io\\.sessionkit\\.[\\w.]+)\\s*;");
  private static final Pattern INTERNAL_REFERENCE =
      Pattern.compile("\\b(io\\.sessionkit\\.[a-z0-9_]+(?:\\.[a-z0-9_]+)*?\\.internal)\\b");

  /**
   * Files that still reference another module's internals, each to be fixed by importing the public
   * replacement named here; an entry that no longer offends fails the test so that the list only
   * shrinks.
   */
  private static final Map<String, String> PENDING = Map.of();

  /** The repository's root: the parent of the module directory surefire runs in. */
  static Path repositoryRoot() {
    // Surefire runs in the module directory; the modules are its siblings.
    Path root = Path.of("").toAbsolutePath().getParent();
    assertThat(root.resolve("pom.xml")).as("the parent POM beside session-core").exists();
    return root;
  }

  /** Every Java source of every module (main and test), outside build output. */
  static List<Path> javaSources(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(
              p -> {
                String rel = root.relativize(p).toString().replace('\\', '/');
                return rel.contains("/src/") && !rel.contains("/target/") && !rel.startsWith(".");
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String moduleOf(Path root, Path file) {
    return root.relativize(file).getName(0).toString();
  }

  /** The references to internal packages that {@code module} does not own, in {@code source}. */
  static Set<String> foreignInternals(String module, String source, Map<String, String> owners) {
    Set<String> found = new TreeSet<>();
    Matcher m = INTERNAL_REFERENCE.matcher(source);
    while (m.find()) {
      String pkg = m.group(1);
      String owner = owners.get(pkg);
      if (owner == null || !owner.equals(module)) {
        found.add(pkg + (owner == null ? " (no module declares it)" : " (owned by " + owner + ")"));
      }
    }
    return found;
  }

  @Test
  void noModuleImportsAnotherModulesInternalPackages() {
    Path root = repositoryRoot();
    List<Path> sources = javaSources(root);
    assertThat(sources).as("Java sources found under %s", root).hasSizeGreaterThan(100);
    Map<String, String> owners = new HashMap<>();
    Map<Path, String> texts = new HashMap<>();
    for (Path p : sources) {
      String text = read(p);
      texts.put(p, text);
      Matcher m = PACKAGE.matcher(text);
      if (m.find() && m.group(1).matches(".*\\.internal(\\..*)?")) {
        String pkg =
            m.group(1).substring(0, m.group(1).indexOf(".internal") + ".internal".length());
        owners.putIfAbsent(pkg, moduleOf(root, p));
      }
    }
    assertThat(owners).containsKeys("io.sessionkit.core.internal", "io.sessionkit.redis.internal");
    List<String> violations = new ArrayList<>();
    Set<String> stillPending = new TreeSet<>();
    for (Path p : sources) {
      String rel = root.relativize(p).toString().replace('\\', '/');
      if (rel.endsWith("/ModuleBoundariesTest.java")) {
        continue; // its own examples below
      }
      Set<String> foreign = foreignInternals(moduleOf(root, p), texts.get(p), owners);
      if (foreign.isEmpty()) {
        continue;
      }
      if (PENDING.containsKey(rel)) {
        stillPending.add(rel);
      } else {
        violations.add(rel + " references " + foreign);
      }
    }
    assertThat(violations).as("references to another module's internal packages").isEmpty();
    assertThat(stillPending)
        .as(
            "files listed as pending that no longer reference another module's internals: remove them from PENDING")
        .containsExactlyInAnyOrderElementsOf(PENDING.keySet());
  }

  @Test
  void theScanFindsImportsAndQualifiedNamesButNotTheModulesOwn() {
    Map<String, String> owners =
        Map.of(
            "io.sessionkit.core.internal",
            "session-core",
            "io.sessionkit.redis.internal",
            "session-redis");
    assertThat(
            foreignInternals(
                "session-redis", "import io.sessionkit.core.internal.Digests;", owners))
        .containsExactly("io.sessionkit.core.internal (owned by session-core)");
    assertThat(
            foreignInternals(
                "session-servlet", "x = io.sessionkit.core.internal.Digests.handleOf(id);", owners))
        .hasSize(1);
    assertThat(
            foreignInternals(
                "session-redis", "import static io.sessionkit.core.internal.Instants.min;", owners))
        .hasSize(1);
    assertThat(
            foreignInternals("session-redis", "import io.sessionkit.redis.internal.Keys;", owners))
        .isEmpty();
    assertThat(foreignInternals("session-redis", "import io.sessionkit.core.Digests;", owners))
        .isEmpty();
  }
}
