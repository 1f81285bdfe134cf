package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.runtime.docs.DocBlock;
import dev.vitrail.runtime.docs.DocPages;
import dev.vitrail.runtime.docs.EnvSettings;
import dev.vitrail.runtime.docs.ExampleFolder;
import dev.vitrail.runtime.docs.ShellCommand;
import dev.vitrail.runtime.video.TestVideos;
import dev.vitrail.runtime.vlm.EcDtype;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code ./vitrail} line of README.md and docs/*.md parses against the commands' options and
 * passes the checks the command makes before it starts (settings, feature options, sampling,
 * dtypes, benchmark names); the cheap ones (encode, video, bench list, help) run in a scratch
 * folder, with their documented environment as settings. Lines in blocks marked {@code docs-test:
 * no-run} are checked, not run; {@code serve} lines in a block of curl examples are run by {@code
 * CurlExamplesTest}.
 */
class CliDocsExamplesTest {
  private static final Set<String> RUNNABLE = Set.of("encode", "video", "bench", "help");
  @TempDir Path dir;

  @Test
  void everyDocumentedCommandLineIsValidAndTheCheapOnesRun() throws Exception {
    ExampleFolder.copyInto(dir);
    int checked = 0;
    int ran = 0;
    List<String> notRun = new ArrayList<>();
    for (DocBlock b : DocPages.blocks()) {
      if (!b.lang().equals("bash")) {
        continue;
      }
      boolean curlBlock = b.commands().stream().anyMatch(c -> c.program().equals("curl"));
      for (ShellCommand c : b.commands()) {
        if (!c.program().equals("./vitrail")) {
          continue;
        }
        Object command = check(c);
        checked++;
        String name = c.args().isEmpty() ? "" : c.args().get(0);
        if (b.noRun() || (name.equals("serve") && curlBlock)) {
          notRun.add(c.where());
        } else {
          assertTrue(
              RUNNABLE.contains(name) || c.args().contains("--help"),
              c.where() + ": '" + c.text() + "' cannot run in a test: mark its block no-run");
          if (command instanceof BenchCommand bench) {
            // The bench module depends on this one, so its harnesses are not on this class path:
            // the name was checked against its registry above; the launcher runs it.
            assertEquals("list", bench.name, c.where() + ": only 'bench list' is cheap");
            notRun.add(c.where());
            continue;
          }
          run(c);
          ran++;
        }
      }
    }
    System.out.printf(
        "documented command lines: %d checked, %d run, %d not run (marked): %s%n",
        checked, ran, notRun.size(), notRun);
    assertTrue(ran >= 8 && notRun.size() >= 8, "found " + ran + " run, " + notRun.size());
  }

  /** Parses the line and makes the checks its command makes before it starts; the command. */
  private Object check(ShellCommand c) {
    ParseResult parsed;
    try {
      String[] args = c.args().toArray(String[]::new);
      parsed = Commands.commandLine(args).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError(c.where() + ": '" + c.text() + "': " + e.getMessage(), e);
    }
    if (!parsed.hasSubcommand()) {
      return null;
    }
    Object command = parsed.subcommand().commandSpec().userObject();
    try {
      if (command instanceof EncodeCommand e) {
        checkModel(e.model, e.features);
      } else if (command instanceof VideoCommand v) {
        checkModel(v.model, v.features);
        v.sampling.sampler();
      } else if (command instanceof ServeCommand s) {
        checkModel(s.model, null);
      } else if (command instanceof WorkerCommand w) {
        checkModel(w.model, null);
      } else if (command instanceof EcCommand e) {
        checkModel(e.model, null);
        if (e.ecDtype != null) {
          EcDtype.of(e.ecDtype);
        }
      } else if (command instanceof BenchCommand b) {
        assertTrue(
            b.name.equals("list") || benchmarkNames().contains(b.name),
            "no benchmark '" + b.name + "' in `vitrail bench list`");
      }
    } catch (RuntimeException e) {
      throw new AssertionError(c.where() + ": '" + c.text() + "': " + e.getMessage(), e);
    }
    return command;
  }

  /**
   * The names the bench module registers ({@code add("NAME", ...)} in its {@code Benchmarks}): the
   * bench module depends on this one, so its registry is read as source here.
   */
  private static java.util.Set<String> benchmarkNames() {
    Path registry =
        DocPages.root().resolve("bench/src/main/java/dev/vitrail/bench/Benchmarks.java");
    try {
      java.util.Set<String> names = new java.util.TreeSet<>();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("add\\(\\s*\"([a-z0-9-]+)\"")
              .matcher(Files.readString(registry));
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void checkModel(ModelOptions model, FeatureOptions features) {
    model.settings(); // every option value, as RuntimeSettings validates it
    for (Path m : model.models) {
      Path dir = DocPages.root().resolve(m.toString());
      if (features != null && (Files.isDirectory(dir) || features.selectLayers.isEmpty())) {
        features.spec(dir);
      }
    }
  }

  /** Runs the line in the scratch folder; it must exit 0. */
  private void run(ShellCommand c) throws Exception {
    List<String> args = new ArrayList<>();
    for (String a : c.args()) {
      boolean file = a.matches("[\\w./-]+\\.(safetensors|avi|mp4)");
      args.add(a.startsWith("models/") || a.startsWith("samples/") || file ? path(a) : a);
      if (a.matches("[\\w.-]+\\.(avi|mp4)") && !Files.exists(dir.resolve(a))) {
        TestVideos.writeMjpegAvi(dir.resolve(a), 64, 48, 6, 10);
      }
    }
    Map<String, String> props = EnvSettings.properties(c.env());
    props.forEach(System::setProperty);
    ConfigFactory.invalidateCaches();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      int status =
          Main.run(
              new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
      assertEquals(0, status, c.where() + ": '" + c.text() + "'\n" + out + "\n" + err);
      assertTrue(!out.toString().isBlank(), c.where() + ": nothing on standard output");
    } finally {
      props.keySet().forEach(System::clearProperty);
      ConfigFactory.invalidateCaches();
    }
  }

  private String path(String relative) {
    return dir.resolve(relative).toString();
  }
}
