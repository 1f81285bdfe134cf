package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
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
}
