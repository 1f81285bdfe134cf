package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the CLI does early, or not at all, to start quickly. */
class StartupTest {
  @Test
  void libtorchIsLoadedEarlyOnlyForCommandsThatOpenAModel() {
    assertTrue(Main.opensModel("encode", "--model", "m", "x.png"));
    for (String c : new String[] {"video", "ec", "serve", "worker"}) {
      assertTrue(Main.opensModel(c, "--model", "m"), c);
    }
    assertFalse(Main.opensModel());
    assertFalse(Main.opensModel("bench", "list"));
    assertFalse(Main.opensModel("help", "encode"));
    assertFalse(Main.opensModel("encode", "--help"));
    assertFalse(Main.opensModel("serve", "-h"));
    assertFalse(Main.opensModel("--version"));
  }

  @Test
  void aUsageErrorStillShowsTheResolvedDefaults() {
    // The settings bundle is set only when help or usage text is printed: check the usage path.
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "encode",
            "--model",
            "models/clip-tiny");
    assertEquals(Main.USAGE, status);
    int workers = ConfigFactory.load().getInt("vitrail.workers.count");
    String flat = err.toString().replaceAll("\\s+", "");
    assertTrue(flat.contains("Missingrequiredparameter"), err.toString());
    assertTrue(flat.contains("(default:" + workers + ",vitrail.workers.count)"), err.toString());
    assertFalse(flat.contains("default:?"), err.toString());
  }

  @Test
  void noCommandPrintsTheUsageWithItsCommands() {
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertEquals(Main.USAGE, status);
    assertTrue(err.toString().contains("a command is required"), err.toString());
    assertTrue(err.toString().contains("encode"), err.toString());
  }

  private static final List<String> ALL =
      List.of("encode", "serve", "video", "bench", "worker", "ec", "resident", "help");

  @Test
  void aCommandLineThatNamesItsCommandBuildsOnlyThatOne() {
    assertEquals(List.of("encode"), Commands.needed("encode", "--model", "m", "x.png"));
    assertEquals(List.of("serve"), Commands.needed("serve", "--help"));
    assertEquals(ALL, Commands.needed());
    assertEquals(ALL, Commands.needed("help", "encode"));
    assertEquals(ALL, Commands.needed("--version"));
    assertEquals(ALL, Commands.needed("encod", "x.png")); // picocli suggests "encode"
    assertEquals(ALL, List.copyOf(Commands.commandLine().getSubcommands().keySet()));
    assertEquals(
        List.of("video"), List.copyOf(Commands.commandLine("video").getSubcommands().keySet()));
  }

  @Test
  void aCommandsHelpIsTheSameBuiltAloneOrWithTheOthers() {
    for (String command : ALL.subList(0, ALL.size() - 1)) {
      assertEquals(output("help", command), output(command, "--help"), command);
    }
    assertTrue(output("--help").contains("  ec "), output("--help"));
    String unknown = errors("encod", "x.png");
    assertTrue(unknown.contains("Did you mean: vitrail encode"), unknown);
  }

  private static String output(String... args) {
    StringWriter out = new StringWriter();
    assertEquals(
        0, Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args));
    return out.toString();
  }

  private static String errors(String... args) {
    StringWriter err = new StringWriter();
    assertEquals(
        Main.USAGE,
        Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err), args));
    return err.toString();
  }
}
