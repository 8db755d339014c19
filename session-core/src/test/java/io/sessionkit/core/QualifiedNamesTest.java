package io.sessionkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The source rule a formatter cannot check: code names types by their simple name and imports them;
 * a fully qualified name inline ({@code java.util.Optional<Session>}) is allowed only where the
 * simple name is already taken in that file (imported from elsewhere, declared in the file, or a
 * class of the same package). Scans every module's main and test sources; comments and string
 * literals are ignored.
 */
class QualifiedNamesTest {
  private static final Pattern QUALIFIED =
      Pattern.compile(
          "(?<![\\w.])((?:java|javax|jakarta|io|org|com|tools)(?:\\.[a-z][a-z0-9_]*)+)\\.([A-Z]\\w*)");
  private static final Pattern IMPORT =
      Pattern.compile("(?m)^import\\s+(static\\s+)?([\\w.]+)\\.(\\w+)\\s*;");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  private static final Pattern DECLARED =
      Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Z]\\w*)");

  @Test
  void noTypeIsNamedByItsQualifiedNameWhereItsSimpleNameIsFree() {
    Path root = ModuleBoundariesTest.repositoryRoot();
    List<String> offences = new ArrayList<>();
    for (Path file : ModuleBoundariesTest.javaSources(root)) {
      if (file.endsWith("module-info.java")) {
        continue;
      }
      Set<String> siblings = new HashSet<>();
      try (Stream<Path> s = Files.list(file.getParent())) {
        s.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".java"))
            .forEach(n -> siblings.add(n.substring(0, n.length() - 5)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (String offence : offences(ModuleBoundariesTest.read(file), siblings)) {
        offences.add(root.relativize(file) + ": " + offence);
      }
    }
    assertThat(offences).as("import these types instead").isEmpty();
  }

  @Test
  void theRuleSeesInlineNamesAndOnlyThose() {
    String source =
        """
        package io.sessionkit.x;

        import java.util.List;
        import io.other.Session;

        /** Mentions java.util.Optional in a comment, which is fine. */
        class Sample {
          java.util.Optional<String> a;          // offends
          @org.jspecify.annotations.Nullable String b;   // offends
          io.sessionkit.core.Session c;          // fine: Session is imported from elsewhere
          String d = "java.util.Map";            // fine: a string
          java.util.List<String> e;              // offends: List is imported, as this List
          io.sessionkit.x.Sibling f;             // offends: same package, simple name free
          jakarta.servlet.Filter.Inner g;        // offends once, for Filter
        }
        """;
    assertThat(offences(source, Set.of("Sample", "Sibling")))
        .containsExactly(
            "java.util.Optional",
            "org.jspecify.annotations.Nullable",
            "java.util.List",
            "io.sessionkit.x.Sibling",
            "jakarta.servlet.Filter");
  }

  /** The qualified names in a source file whose simple names are free to import. */
  static List<String> offences(String source, Set<String> siblings) {
    String pkg = "";
    Matcher pm = PACKAGE.matcher(source);
    if (pm.find()) {
      pkg = pm.group(1);
    }
    Map<String, String> imported = new HashMap<>();
    Matcher im = IMPORT.matcher(source);
    while (im.find()) {
      if (im.group(1) == null) {
        imported.put(im.group(3), im.group(2) + "." + im.group(3));
      }
    }
    String code = stripCommentsAndLiterals(source).replaceAll("(?m)^(import|package)\\s.*$", "");
    Set<String> declared = new HashSet<>();
    Matcher dm = DECLARED.matcher(code);
    while (dm.find()) {
      declared.add(dm.group(1));
    }
    List<String> out = new ArrayList<>();
    Matcher m = QUALIFIED.matcher(code);
    while (m.find()) {
      String qualifier = m.group(1);
      String simple = m.group(2);
      String full = qualifier + "." + simple;
      String owner = imported.get(simple);
      boolean taken =
          (owner != null && !owner.equals(full))
              || declared.contains(simple)
              || (siblings.contains(simple) && !qualifier.equals(pkg));
      if (!taken) {
        out.add(full);
      }
    }
    return out;
  }

  /** Blanks comments, string and character literals (text blocks too), keeping everything else. */
  static String stripCommentsAndLiterals(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("//", i)) {
        int end = s.indexOf('\n', i);
        i = end < 0 ? s.length() : end;
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? s.length() : end + 2;
        out.append(' ');
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        i = end < 0 ? s.length() : end + 3;
        out.append("\"\"");
      } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
        char quote = s.charAt(i);
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != quote) {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        i = Math.min(j + 1, s.length());
        out.append(quote).append(quote);
      } else {
        out.append(s.charAt(i++));
      }
    }
    return out.toString();
  }
}
