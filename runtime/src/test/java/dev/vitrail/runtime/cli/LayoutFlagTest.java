package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.config.settings.InvalidSettingsException;
import dev.vitrail.config.settings.RuntimeSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --layout} sets {@code vitrail.workers.layout}, which then decides workers and pools. */
class LayoutFlagTest {
  @Command(name = "probe")
  static final class Probe {
    @Mixin ModelOptions model;
  }

  private static RuntimeSettings parse(String... args) {
    Probe p = new Probe();
    new CommandLine(p).parseArgs(args);
    return p.model.settings();
  }

  @Test
  void layoutFlagReachesTheSettings() {
    RuntimeSettings auto = parse("--model", "m", "--layout", "auto");
    assertEquals("auto", auto.layout());
    assertEquals(auto.layoutCores(), auto.workers());
    assertEquals(1, auto.blasThreads());
    RuntimeSettings wide = parse("--model", "m", "--layout", "one-wide", "--workers", "3");
    assertEquals(1, wide.workers());
    assertEquals(wide.layoutCores(), wide.blasThreads());
    assertEquals("fixed", parse("--model", "m").layout());
    assertThrows(
        InvalidSettingsException.class, () -> parse("--model", "m", "--layout", "sideways"));
  }
}
