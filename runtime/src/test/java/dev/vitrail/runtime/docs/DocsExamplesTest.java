package dev.vitrail.runtime.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code block of README.md, ARCHITECTURE.md and docs/*.md is exercised or explicitly marked
 * {@code <!-- docs-test: no-run (reason) -->}: {@code ./vitrail} lines are checked and run by
 * {@code CliDocsExamplesTest}, {@code curl} lines by {@link CurlExamplesTest}, Java blocks must be
 * the body of a test, HOCON blocks must name existing settings, JSON blocks must parse. The
 * settings keys, environment variables and links the pages mention must exist.
 */
class DocsExamplesTest {
  private static final Pattern REGION =
      Pattern.compile(
          "// --- begin docs example: [\\w-]+ ---\\n(.*?)// --- end docs example ---",
          Pattern.DOTALL);
  private static final Set<String> HANDLED = Set.of("./vitrail", "curl", "mvn");
  private static final Set<String> ILLUSTRATIONS = Set.of("", "text");

  @Test
  void everyCodeBlockIsExercisedOrMarked() {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (DocBlock b : DocPages.blocks()) {
      String kind;
      if (b.noRun()) {
        kind = b.lang().equals("json") ? "json, marked no-run" : "marked no-run";
        if (!b.marker().matches("no-run \\(.+\\)")) {
          problems.add(b.where() + ": a no-run marker needs a reason: no-run (why)");
        }
      } else if (b.lang().equals("json")) {
        kind = "json, parsed";
        String problem = JsonBlocks.problem(b);
        if (problem != null) {
          problems.add(problem);
        }
      } else if (ILLUSTRATIONS.contains(b.lang())) {
        kind = "illustration (" + (b.lang().isEmpty() ? "output" : b.lang()) + ")";
      } else if (b.lang().equals("bash")) {
        kind = "shell, run";
        for (ShellCommand c : b.commands()) {
          if (!c.isAssignment() && !HANDLED.contains(c.program())) {
            problems.add(c.where() + ": '" + c.program() + "' cannot run here: mark the block");
          } else if (c.program().equals("mvn") && !b.page().equals("README.md")) {
            problems.add(c.where() + ": only README's test command is checked: mark the block");
          }
        }
      } else if (b.lang().equals("java") || b.lang().equals("hocon")) {
        kind = b.lang() + ", checked";
      } else {
        kind = "?";
        problems.add(b.where() + ": a " + b.lang() + " block must be marked docs-test: no-run");
      }
      counts.merge(kind, 1, Integer::sum);
    }
    for (String page : DocPages.pages()) {
      for (String m : DocPages.markers(page)) {
        if (m.contains("(no code block follows)")) {
          problems.add(m);
        }
      }
    }
    System.out.println("docs code blocks: " + counts);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(counts.getOrDefault("marked no-run", 0) > 0, "the marker is recognised");
    assertTrue(counts.getOrDefault("json, parsed", 0) > 0, "json blocks are recognised");
  }

  @Test
  void invalidJsonIsCaught() {
    DocBlock partial =
        new DocBlock("docs/x.md", 10, "json", null, List.of("{", "  \"a\": [1, ...]", "}"));
    String problem = JsonBlocks.problem(partial);
    assertTrue(problem != null && problem.startsWith("docs/x.md:12: invalid JSON"), problem);
    DocBlock stream = new DocBlock("docs/x.md", 1, "json", null, List.of("{}", "[1]"));
    assertEquals(null, JsonBlocks.problem(stream));
    DocBlock scalar = new DocBlock("docs/x.md", 1, "json", null, List.of("42"));
    assertTrue(JsonBlocks.problem(scalar) != null);
  }

  @Test
  void javaBlocksAreTheBodiesOfTests() throws IOException {
    Map<String, String> regions = new TreeMap<>(); // normalized body -> file text
    try (Stream<Path> s = Files.walk(DocPages.root().resolve("runtime/src/test/java"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
        String text = Files.readString(p);
        Matcher m = REGION.matcher(text);
        while (m.find()) {
          regions.put(normalized(m.group(1)), text);
        }
      }
    }
    int checked = 0;
    for (DocBlock b : DocPages.blocks()) {
      if (!b.lang().equals("java") || b.noRun()) {
        continue;
      }
      List<String> imports = b.lines().stream().filter(l -> l.startsWith("import ")).toList();
      String body =
          b.lines().stream().filter(l -> !l.startsWith("import ")).collect(Collectors.joining());
      String test = regions.get(normalized(body));
      assertTrue(
          test != null,
          b.where() + ": this Java block is not, token for token, a 'begin docs example' region");
      for (String i : imports) {
        assertTrue(test.contains("\n" + i + "\n"), b.where() + ": the test does not " + i);
      }
      checked++;
    }
    assertTrue(checked >= 3, "README, embedding and server snippets: " + checked);
  }

  @Test
  void hoconBlocksAndSettingKeysExist() {
    Config reference = ConfigFactory.defaultReference();
    List<String> missing = new ArrayList<>();
    for (DocBlock b : DocPages.blocks()) {
      if (b.lang().equals("hocon")) {
        for (var e : ConfigFactory.parseString(String.join("\n", b.lines())).entrySet()) {
          if (!reference.hasPathOrNull(e.getKey())) {
            missing.add(b.where() + ": " + e.getKey());
          }
        }
      }
    }
    Pattern key = Pattern.compile("`-?D?(vitrail(?:\\.[a-z0-9-]+)+)(\\.\\{([a-z0-9,-]+)\\})?");
    int keys = 0;
    for (String page : DocPages.pages()) {
      Matcher m = key.matcher(DocPages.text(page));
      while (m.find()) {
        List<String> names = new ArrayList<>();
        if (m.group(3) != null) {
          for (String leaf : m.group(3).split(",")) {
            names.add(m.group(1) + "." + leaf);
          }
        } else {
          names.add(m.group(1));
        }
        for (String n : names) {
          keys++;
          if (!reference.hasPathOrNull(n)) {
            missing.add(page + ": setting " + n);
          }
        }
      }
    }
    assertTrue(missing.isEmpty(), "documented settings that do not exist:\n" + missing);
    assertTrue(keys > 50, "settings found in the pages: " + keys);
  }

  @Test
  void environmentVariablesAreRead() throws IOException {
    StringBuilder readers = new StringBuilder(Files.readString(DocPages.root().resolve("vitrail")));
    for (String module : List.of("config", "encoders", "actors", "runtime")) {
      try (Stream<Path> s = Files.walk(DocPages.root().resolve(module + "/src/main"))) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          readers.append(Files.readString(p));
        }
      }
    }
    try (Stream<Path> s = Files.list(DocPages.root().resolve("bench"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".sh")).toList()) {
        readers.append(Files.readString(p));
      }
    }
    Pattern env = Pattern.compile("\\bVITRAIL_[A-Z0-9_]+\\b");
    List<String> unread = new ArrayList<>();
    for (String page : DocPages.pages()) {
      Matcher m = env.matcher(DocPages.text(page));
      while (m.find()) {
        if (!readers.toString().contains(m.group())) {
          unread.add(page + ": " + m.group());
        }
      }
    }
    assertTrue(unread.isEmpty(), "documented variables nothing reads:\n" + unread);
  }

  @Test
  void relativeLinksAndAnchorsResolve() {
    Pattern link = Pattern.compile("\\]\\(([^)#\\s]*)(?:#([^)\\s]+))?\\)");
    List<String> broken = new ArrayList<>();
    for (String page : DocPages.pages()) {
      Matcher m = link.matcher(DocPages.text(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.startsWith("http")) {
          continue;
        }
        Path base = DocPages.root().resolve(page).getParent();
        Path file = target.isEmpty() ? DocPages.root().resolve(page) : base.resolve(target);
        if (!Files.exists(file)) {
          broken.add(page + ": " + m.group());
        } else if (m.group(2) != null && file.toString().endsWith(".md")) {
          String rel = DocPages.root().relativize(file.normalize()).toString();
          if (!DocPages.anchors(rel).contains(m.group(2))) {
            broken.add(page + ": no heading for #" + m.group(2) + " in " + rel);
          }
        }
      }
    }
    assertTrue(broken.isEmpty(), String.join("\n", broken));
  }

  @Test
  void theReadmeTestCommandIsWhatCiRuns() throws IOException {
    List<String> ci =
        Files.readAllLines(DocPages.root().resolve(".ci/run")).stream()
            .filter(l -> l.startsWith("mvn "))
            .toList();
    List<String> readme =
        DocPages.blocks().stream()
            .filter(b -> b.page().equals("README.md") && b.lang().equals("bash"))
            .flatMap(b -> b.commands().stream())
            .filter(c -> c.program().equals("mvn"))
            .map(c -> String.join(" ", c.words()))
            .toList();
    assertEquals(List.of("mvn -B -ntp verify"), ci);
    assertEquals(ci, readme);
  }

  /** Whitespace dropped, and the closing braces a page adds after the region's end marker. */
  static String normalized(String code) {
    return code.replaceAll("\\s+", "").replaceAll("}+$", "");
  }
}
