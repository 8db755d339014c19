package io.sessionkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Static rules over the production sources of session-core, session-redis and session-servlet
 * (checklist A1, F32, F36, I51, the "S" tests): only {@code SecureRandom} makes randomness; nothing
 * deserializes Java objects or turns on Jackson default typing; no code or script lists keys by
 * pattern ({@code KEYS}, {@code SCAN}); ids, tokens and secrets are never compared with {@code
 * equals}. Each rule prints what it matched, so a violation names its file and line.
 */
class StorageStaticRulesTest {
  private static final List<Path> ROOTS =
      List.of(
          Path.of("../session-core/src/main"),
          Path.of("../session-redis/src/main"),
          Path.of("../session-servlet/src/main"));

  private record Line(Path file, int number, String text) {
    @Override
    public String toString() {
      return file + ":" + number + ": " + text.strip();
    }
  }

  private static List<Line> lines(String... extensions) {
    List<Line> out = new ArrayList<>();
    for (Path root : ROOTS) {
      assertThat(root).as("run from a module directory, next to " + root).isDirectory();
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String name = f.getFileName().toString();
          if (Stream.of(extensions).noneMatch(name::endsWith)) {
            continue;
          }
          List<String> text = Files.readAllLines(f, StandardCharsets.UTF_8);
          for (int i = 0; i < text.size(); i++) {
            out.add(new Line(f, i + 1, text.get(i)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static List<Line> matching(Pattern p, String... extensions) {
    List<Line> hits = new ArrayList<>();
    for (Line l : lines(extensions)) {
      String code = l.text().strip();
      if (code.startsWith("*")
          || code.startsWith("//")
          || code.startsWith("/*")
          || code.startsWith("--")) {
        continue; // documentation may name what the code must not do
      }
      Matcher m = p.matcher(l.text());
      if (m.find()) {
        hits.add(l);
      }
    }
    return hits;
  }

  @Test
  void theSourcesAreThere() {
    assertThat(lines(".java")).hasSizeGreaterThan(3_000);
    assertThat(lines(".lua")).hasSizeGreaterThan(100);
  }

  @Test
  void onlySecureRandomMakesRandomness() {
    assertThat(
            matching(
                Pattern.compile(
                    "new Random\\(|ThreadLocalRandom|UUID\\.randomUUID|Math\\.random|"
                        + "SplittableRandom"),
                ".java"))
        .isEmpty();
    assertThat(matching(Pattern.compile("SecureRandom"), ".java")).isNotEmpty();
  }

  @Test
  void nothingDeserializesJavaObjectsOrEnablesPolymorphicTypingByClassName() {
    assertThat(
            matching(
                Pattern.compile(
                    "ObjectInputStream|readObject\\(|readUnshared\\(|XMLDecoder|"
                        // Class.forName of a constant (a string literal, or a static final named in
                        // capitals: a container class found by reflection) loads nothing chosen by
                        // data; one whose name is computed could.
                        + "enableDefaultTyping|activateDefaultTyping|JsonTypeInfo\\.Id\\.CLASS|@JsonTypeInfo|"
                        + "Class\\.forName\\((?!\"|[A-Z][A-Z0-9_]*\\s*[,)])"),
                ".java"))
        .isEmpty();
  }

  @Test
  void noKeyIsEverListedByPattern() {
    assertThat(
            matching(
                Pattern.compile("(?i)['\"](KEYS|SCAN|HSCAN|ZSCAN|SSCAN)['\"]"), ".lua", ".java"))
        .isEmpty();
    assertThat(matching(Pattern.compile("\\.(keys|scan|hscan|zscan|sscan)\\("), ".java")).isEmpty();
  }

  @Test
  void idsTokensAndSecretsAreNeverComparedWithEquals() {
    // A receiver or argument named like a secret (not a user id, which is not one).
    Pattern secretEquals =
        Pattern.compile(
            "\\b(?!user)[a-z]\\w*(Id|Token|Secret|Mac)\\b(\\(\\))?\\.equals\\(|"
                + "\\b(id|token|secret|mac|sealed)(\\(\\))?\\.equals\\(|\\.equals\\((id|token|secret|mac|sealed)\\b");
    assertThat(matching(secretEquals, ".java")).isEmpty();
    assertThat(matching(Pattern.compile("MessageDigest\\.isEqual"), ".java")).isNotEmpty();
  }
}
