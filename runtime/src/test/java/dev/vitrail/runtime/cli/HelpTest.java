package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.runtime.docs.ShellCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's {@code --help} shows real default values (resolved from the settings, not key
 * names), at least one example that parses, and the exit codes.
 */
class HelpTest {
  private static final List<String> COMMANDS =
      List.of("", "encode", "serve", "video", "worker", "bench", "ec");

  @Test
  void everyCommandsHelpHasDefaultsAnExampleAndTheExitCodes() {
    for (String command : COMMANDS) {
      String help = help(command);
      String what = "vitrail " + command + " --help:\n" + help;
      assertTrue(help.contains("Exit codes:"), what);
      assertTrue(help.contains("  0   Success."), what);
      assertTrue(help.contains("  2   Usage error"), what);
      assertFalse(flat(help).contains("default:vitrail."), "a key name, not a value: " + what);
      assertFalse(help.contains("${"), "an unresolved variable: " + what);
      List<String> examples = examples(help);
      assertFalse(examples.isEmpty(), "no example: " + what);
      for (String example : examples) {
        List<String> words = ShellCommand.parse(what, example, "").words();
        assertEquals("vitrail", words.get(0), example);
        if (command.isEmpty() || !words.get(1).equals(command)) {
          assertTrue(command.isEmpty(), "an example of another command: " + example);
        }
        String[] args = words.subList(1, words.size()).toArray(String[]::new);
        Commands.commandLine(args).parseArgs(args);
      }
    }
    assertTrue(help("serve").contains("  3   A cluster node"));
    assertTrue(help("worker").contains("  3   A cluster node"));
  }

  @Test
  void everyOptionWithAValueStatesItsDefault() {
    CommandLine cli = Commands.commandLine();
    List<String> missing = new ArrayList<>();
    for (var sub : cli.getSubcommands().entrySet()) {
      for (OptionSpec o : sub.getValue().getCommandSpec().options()) {
        boolean flag = o.typeInfo().isBoolean() || o.usageHelp() || o.versionHelp();
        if (!flag && !o.required() && !String.join(" ", o.description()).contains("default")) {
          missing.add(sub.getKey() + " " + o.longestName());
        }
      }
    }
    assertTrue(missing.isEmpty(), "options whose help states no default: " + missing);
  }

  @Test
  void theDefaultsAreTheSettingsResolvedOnThisMachine() {
    int workers = ConfigFactory.load().getInt("vitrail.workers.count");
    assertTrue(
        flat(help("encode")).contains("(default:" + workers + ",vitrail.workers.count)"),
        help("encode"));
    System.setProperty("vitrail.workers.count", "3");
    System.setProperty("vitrail.http.port", "9191");
    try {
      assertTrue(flat(help("encode")).contains("(default:3,vitrail.workers.count)"));
      assertTrue(flat(help("serve")).contains("(default:9191,vitrail.http.port)"), help("serve"));
    } finally {
      System.clearProperty("vitrail.workers.count");
      System.clearProperty("vitrail.http.port");
      ConfigFactory.invalidateCaches();
    }
  }

  private static String help(String command) {
    StringWriter out = new StringWriter();
    String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()), args);
    assertEquals(0, status);
    return out.toString();
  }

  /** Whitespace dropped, so that phrases match across picocli's line wrapping. */
  private static String flat(String text) {
    return text.replaceAll("\\s+", "");
  }

  private static List<String> examples(String help) {
    List<String> out = new ArrayList<>();
    String[] lines = help.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].equals("Example:")) {
        for (int j = i + 1; j < lines.length && lines[j].startsWith("  vitrail "); j++) {
          StringBuilder example = new StringBuilder(lines[j].strip());
          while (example.toString().endsWith("\\") && j + 1 < lines.length) {
            example.setLength(example.length() - 1);
            example.append(' ').append(lines[++j].strip());
          }
          out.add(example.toString());
        }
      }
    }
    return out;
  }
}
