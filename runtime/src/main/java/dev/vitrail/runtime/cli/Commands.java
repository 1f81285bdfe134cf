package dev.vitrail.runtime.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The {@code vitrail} command line with its subcommands. picocli builds a command's model (its
 * options, mixins, help texts) by reflection when the command is added, a quarter of a second of
 * CPU at start-up for all seven; a command line that names its command ({@code vitrail encode ...})
 * gets only that one. Anything else (no command, an unknown one, {@code help}, options of {@code
 * vitrail} itself) gets them all, so that usage and help texts list every command.
 */
final class Commands {
  /** The subcommands in the order the help lists them. */
  private static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("encode", EncodeCommand::new);
    ALL.put("serve", ServeCommand::new);
    ALL.put("video", VideoCommand::new);
    ALL.put("bench", BenchCommand::new);
    ALL.put("worker", WorkerCommand::new);
    ALL.put("ec", EcCommand::new);
    ALL.put("resident", ResidentCommand::new);
    ALL.put("help", CommandLine.HelpCommand::new);
  }

  private Commands() {}

  /** The command line {@code args} need: {@code vitrail} and the subcommands it may run. */
  static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new Main());
    for (String name : needed(args)) {
      cli.addSubcommand(name, ALL.get(name).get());
    }
    return cli;
  }

  /** The names of the subcommands {@code args} need, as above. */
  static List<String> needed(String... args) {
    if (args.length > 0 && ALL.containsKey(args[0]) && !args[0].equals("help")) {
      return List.of(args[0]);
    }
    return List.copyOf(ALL.keySet());
  }
}
