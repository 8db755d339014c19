package io.sessionkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The library jars' {@code module-info}: each is a named module of the name its jar has always
 * declared, exports every public package and no {@code .internal} one, and the stores run as named
 * modules on the module path. The module descriptors are compiled after the tests of their own
 * module (see the root pom), so they are checked here, in a module that uses the packaged jars.
 */
class ModuleDescriptorsTest {
  /** The library modules with a descriptor, by jar name prefix. */
  private static final Map<String, String> MODULES =
      Map.of(
          "session-core", "io.sessionkit.core",
          "session-testkit", "io.sessionkit.testkit",
          "session-redis", "io.sessionkit.redis",
          "session-servlet", "io.sessionkit.servlet",
          "session-micrometer", "io.sessionkit.micrometer");

  @Test
  void eachLibraryJarIsANamedModuleExportingExactlyItsPublicPackages() throws IOException {
    Map<String, Path> jars = libraryJars();
    assertThat(jars.keySet())
        .as(
            "every library module is on this module's test class path as a packaged jar"
                + " (run at least `mvn package`; `mvn test` alone has no jars)")
        .containsExactlyInAnyOrderElementsOf(MODULES.keySet());
    for (Map.Entry<String, Path> e : jars.entrySet()) {
      ModuleDescriptor d = descriptor(e.getValue());
      assertThat(d.isAutomatic()).as(e.getKey() + " has a module-info").isFalse();
      assertThat(d.name()).isEqualTo(MODULES.get(e.getKey()));
      assertThat(automaticModuleName(e.getValue()))
          .as("the manifest's Automatic-Module-Name of " + e.getKey())
          .isEqualTo(d.name());
      Set<String> exported =
          d.exports().stream()
              .map(ModuleDescriptor.Exports::source)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> publicPackages =
          d.packages().stream()
              .filter(p -> !p.endsWith(".internal"))
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(exported)
          .as(e.getKey() + " exports")
          .isEqualTo(publicPackages)
          .noneMatch(p -> p.contains(".internal"));
      assertThat(d.exports())
          .as(e.getKey() + " exports to everyone, not to friends")
          .allMatch(x -> !x.isQualified());
    }
  }

  @Test
  void theStoresRunAsNamedModulesOnTheModulePath() throws Exception {
    Map<String, Path> jars = libraryJars();
    // SessionKit's jars and the modules their descriptors require go on the module path; the rest
    // of the class path (netty and reactor for Lettuce, the probe itself) stays on the class path.
    List<Path> modulePath = new ArrayList<>();
    for (String name : List.of("session-core", "session-redis", "session-micrometer")) {
      modulePath.add(jars.get(name));
    }
    Set<String> wanted =
        Set.of(
            "org.jspecify",
            "com.fasterxml.jackson.databind",
            "com.fasterxml.jackson.core",
            "com.fasterxml.jackson.annotation",
            "com.github.benmanes.caffeine",
            "org.slf4j",
            "lettuce.core",
            "micrometer.core",
            "micrometer.observation",
            "micrometer.commons");
    List<Path> classPath = new ArrayList<>();
    Map<String, Path> found = new LinkedHashMap<>();
    for (Path entry : classPathEntries()) {
      String module = Files.isRegularFile(entry) ? moduleNameOrNull(entry) : null;
      if (module != null && wanted.contains(module) && !found.containsKey(module)) {
        found.put(module, entry);
      } else if (!jars.containsValue(entry)) {
        classPath.add(entry);
      }
    }
    assertThat(found.keySet())
        .as("the required modules are on the test class path")
        .containsAll(wanted);
    modulePath.addAll(found.values());

    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--module-path",
            join(modulePath),
            "--add-modules",
            "io.sessionkit.core,io.sessionkit.redis,io.sessionkit.micrometer",
            "-cp",
            join(classPath),
            ModulePathProbe.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains(
            "module io.sessionkit.core",
            "module io.sessionkit.redis",
            "module io.sessionkit.micrometer",
            "round-trip ok",
            "redis options ok");
  }

  private static Map<String, Path> libraryJars() {
    Map<String, Path> jars = new LinkedHashMap<>();
    for (Path entry : classPathEntries()) {
      String file = entry.getFileName().toString();
      for (String prefix : MODULES.keySet()) {
        if (file.startsWith(prefix + "-") && file.endsWith(".jar") && !file.contains("-tests")) {
          jars.put(prefix, entry);
        }
      }
    }
    return jars;
  }

  private static List<Path> classPathEntries() {
    List<Path> entries = new ArrayList<>();
    for (String s : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!s.isEmpty()) {
        entries.add(Path.of(s));
      }
    }
    return entries;
  }

  private static ModuleDescriptor descriptor(Path jar) {
    Set<ModuleReference> refs = ModuleFinder.of(jar).findAll();
    assertThat(refs).as(jar.toString()).hasSize(1);
    return refs.iterator().next().descriptor();
  }

  private static String moduleNameOrNull(Path jar) {
    try {
      return descriptor(jar).name();
    } catch (RuntimeException | AssertionError e) {
      return null; // not a usable module (no derivable name, or a broken descriptor): class path
    }
  }

  private static String automaticModuleName(Path jar) {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }
}
