package dev.vitrail.runtime.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.http.EmbeddingServer;
import dev.vitrail.runtime.http.HttpSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code curl} example of the pages with curl against a real server on 127.0.0.1 (the
 * port substituted for {@code localhost:8080}), in a folder holding a copy of {@code samples/} and
 * {@code models/}: the repository's clip-tiny by default, the fixture model a block's {@code
 * docs-test: model NAME} marker names, or the {@code ./vitrail serve} line of the block itself
 * (in-process, its environment as the settings it sets). Each answer must have the status the
 * comment above the command states (200 when it states none).
 */
class CurlExamplesTest {
  private static final Pattern STATUS = Pattern.compile("\\b([2-5]\\d\\d)\\b");
  @TempDir Path dir;

  @Test
  void everyCurlExampleAnswersAsDocumented() throws Exception {
    Path curl = curl();
    assumeTrue(curl != null, "curl is not installed: the curl examples cannot run here");
    ExampleFolder.copyInto(dir);
    List<DocBlock> blocks = new ArrayList<>();
    for (DocBlock b : DocPages.blocks()) {
      if (b.lang().equals("bash")
          && !b.noRun()
          && b.commands().stream().anyMatch(c -> c.program().equals("curl"))) {
        blocks.add(b);
      }
    }
    int run = 0;
    try (ServedModel model = ServedModel.open(dir.resolve("models/clip-tiny"), null, settings());
        EmbeddingServer server = EmbeddingServer.start(model, http())) {
      for (DocBlock b : blocks) {
        if (b.model() != null) {
          run += runAgainstFixtureModel(b);
        } else if (b.commands().stream().anyMatch(c -> isServe(c))) {
          run += runWithItsOwnServer(b, serveLine(b));
        } else {
          run += runBlock(b, server.address().getPort());
        }
      }
    }
    System.out.println("curl examples run: " + run + " in " + blocks.size() + " blocks");
    assertTrue(run >= 15, "curl examples found: " + run);
  }

  private int runAgainstFixtureModel(DocBlock b) throws Exception {
    Path fixture = Fixtures.root().resolve("models/" + b.model());
    try (ServedModel model = ServedModel.open(fixture, null, settings());
        EmbeddingServer server = EmbeddingServer.start(model, http())) {
      return runBlock(b, server.address().getPort());
    }
  }

  /**
   * A block that starts its own {@code ./vitrail serve} (e.g. with {@code VITRAIL_API_KEYS=...}):
   * the same server in-process, its environment applied as the settings keys that read it
   * (CliDocsExamplesTest checks the line's options).
   */
  private int runWithItsOwnServer(DocBlock b, ShellCommand serve) throws Exception {
    Config config =
        ConfigFactory.parseMap(EnvSettings.properties(serve.env()))
            .withFallback(ConfigFactory.load())
            .resolve();
    int m = serve.args().indexOf("--model");
    Path modelDir = dir.resolve(serve.args().get(m + 1));
    try (ServedModel model = ServedModel.open(modelDir, null, RuntimeSettings.from(config));
        EmbeddingServer server =
            EmbeddingServer.start(model, HttpSettings.from(config).withAddress("127.0.0.1", 0))) {
      return runBlock(b, server.address().getPort());
    }
  }

  /** Runs the block's assignments and curl commands in one bash, checking each status. */
  private int runBlock(DocBlock b, int port) throws Exception {
    StringBuilder script = new StringBuilder("set -u\ncd '" + dir + "'\n");
    List<ShellCommand> curls = new ArrayList<>();
    for (ShellCommand c : b.commands()) {
      if (c.isAssignment()) {
        script.append(c.text()).append('\n');
      } else if (c.program().equals("curl")) {
        curls.add(c);
        script
            .append(c.text().replace("localhost:8080", "127.0.0.1:" + port))
            .append(" --max-time 60 -w '\\n@@status %{http_code}\\n'\n");
      }
    }
    Process p =
        new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor() == 0 || !out.isEmpty(), b.where() + ": bash failed\n" + out);
    Matcher m = Pattern.compile("@@status (\\d{3})").matcher(out);
    for (ShellCommand c : curls) {
      assertTrue(m.find(), c.where() + ": no answer\n" + out);
      Matcher want = STATUS.matcher(c.comment());
      String expected = want.find() ? want.group(1) : "200";
      assertEquals(expected, m.group(1), c.where() + ": " + c.text() + "\n" + out);
      int o = c.words().indexOf("-o");
      if (o >= 0) {
        Path file = dir.resolve(c.words().get(o + 1));
        assertTrue(Files.size(file) > 0, c.where() + ": nothing written to " + file);
        Files.delete(file);
      }
    }
    return curls.size();
  }

  private static boolean isServe(ShellCommand c) {
    return c.program().equals("./vitrail")
        && c.args().size() > 0
        && c.args().get(0).equals("serve");
  }

  private static ShellCommand serveLine(DocBlock b) {
    return b.commands().stream().filter(CurlExamplesTest::isServe).findFirst().orElseThrow();
  }

  private static RuntimeSettings settings() {
    return RuntimeSettings.load();
  }

  private static HttpSettings http() {
    return HttpSettings.load().withAddress("127.0.0.1", 0);
  }

  private static Path curl() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path c = Path.of(d, "curl");
      if (Files.isExecutable(c)) {
        return c;
      }
    }
    return null;
  }
}
