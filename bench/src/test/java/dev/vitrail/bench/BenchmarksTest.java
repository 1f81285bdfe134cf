package dev.vitrail.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.runtime.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vitrail bench} through the CLI, with the bench module on the class path as the launcher
 * puts it.
 */
class BenchmarksTest {
  private record Run(int status, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void listNamesEveryHarnessTheReadmeNames() {
    Run r = cli("bench", "list");
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(Benchmarks.list().size(), lines.size(), r.out());
    for (String name :
        List.of(
            "tower",
            "qwen-tower",
            "checkpoint-tower",
            "function",
            "preprocess",
            "video-decode",
            "overhead",
            "gpu",
            "balance",
            "http",
            "overload",
            "ec",
            "scaling",
            "cluster-scaling")) {
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith(name + " ")), name + " missing:\n" + r.out());
    }
  }

  @Test
  void runsAHarnessByNameWithItsArguments() {
    // balance is a pure simulation: 20 random batches of 16 images, a fraction of a second
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Run r;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      r = cli("bench", "balance", "20", "16");
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, r.status(), r.err());
    String table = printed.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("| lpt |") && table.contains("| pull |"), table);
  }

  @Test
  void unknownNamesAndWrongTowersAreUsageErrors(@TempDir Path dir) throws Exception {
    Run unknown = cli("bench", "no-such-bench");
    assertEquals(Main.USAGE, unknown.status());
    assertTrue(unknown.err().contains("qwen-tower"), unknown.err());
    Path clip = dir.resolve("clip.json");
    Files.writeString(
        clip,
        "{\"model_type\":\"clip_vision_model\",\"hidden_size\":32,\"intermediate_size\":64,"
            + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"image_size\":32,"
            + "\"patch_size\":16}");
    Run wrong = cli("bench", "qwen-tower", "--config", clip.toString());
    assertEquals(Main.SOME_FAILED, wrong.status());
    assertTrue(wrong.err().contains("Qwen2.5-VL"), wrong.err());
  }
}
