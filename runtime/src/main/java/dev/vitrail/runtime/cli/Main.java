package dev.vitrail.runtime.cli;

import dev.vitrail.config.hf.InvalidConfigException;
import dev.vitrail.config.settings.InvalidSettingsException;
import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.http.GracefulShutdown;
import dev.vitrail.runtime.model.InvalidModelException;
import dev.vitrail.runtime.video.VideoDecodeException;
import java.io.PrintWriter;
import java.util.Set;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vitrail}: encode images or video into features, serve the HTTP API, run benchmarks, run a
 * cluster worker node. Exit status 0 on success, 1 when some inputs failed, 2 for usage errors (bad
 * path, model, option), 3 when a cluster node could not join or was removed from its cluster.
 */
@Command(
    name = "vitrail",
    mixinStandardHelpOptions = true,
    version = "vitrail 0.1.0",
    description = "Vision-transformer features on Pekko and libtorch.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE, ExitCodes.CLUSTER},
    footerHeading = ExitCodes.EXAMPLE,
    footer = "  vitrail encode --model models/clip-tiny samples/")
public final class Main implements Runnable {
  /** Exit status when some inputs could not be encoded. */
  public static final int SOME_FAILED = 1;

  /** Exit status for usage errors. */
  public static final int USAGE = 2;

  /** Exit status of a cluster node that could not join, or was removed and cannot go on. */
  public static final int CLUSTER = 3;

  private static final Set<String> MODEL_COMMANDS =
      Set.of("encode", "video", "ec", "serve", "worker");

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is required (encode, serve, video, bench, worker)");
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    // Start logging before any thread logs, so early log calls are not queued and replayed.
    LoggerFactory.getILoggerFactory();
    if (opensModel(args)) {
      // libtorch's natives load while picocli, the settings and the inputs are read.
      LibtorchTowers.preload();
    }
    if (args.length > 0 && args[0].equals("serve")) {
      // SIGTERM from here on stops a starting server cleanly (exit 0), not with the JVM's 143.
      GracefulShutdown.early(null);
    }
    int status = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(status);
  }

  /** Whether {@code args} run a command that opens a model (not help, not a benchmark). */
  static boolean opensModel(String... args) {
    if (args.length == 0 || !MODEL_COMMANDS.contains(args[0])) {
      return false;
    }
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return false;
      }
    }
    return true;
  }

  private static boolean asksForHelp(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested()
          || p.isVersionHelpRequested()
          || p.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
        return true;
      }
    }
    return false;
  }

  /** Runs the command line with the given output streams and returns the exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = Commands.commandLine(args); // the subcommands are added there
    cli.setOut(out);
    cli.setErr(err);
    // Help and usage text show the settings' resolved values (SettingsBundle); reading them costs
    // start-up time, so the bundle is set only when help or usage text is about to be printed.
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler(
        (e, rest) -> {
          cli.setResourceBundle(new SettingsBundle());
          return usage.handleParseException(e, rest);
        });
    cli.setExecutionStrategy(
        parsed -> {
          if (asksForHelp(parsed)) {
            cli.setResourceBundle(new SettingsBundle());
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          if (e instanceof CliException
              || e instanceof InvalidModelException
              || e instanceof InvalidConfigException
              || e instanceof InvalidSettingsException) {
            commandLine.getErr().println("error: " + e.getMessage());
            return USAGE;
          }
          if (e instanceof VideoDecodeException) {
            // A corrupt or unreadable input: one line, no stack trace.
            commandLine.getErr().println("error: " + e.getMessage());
            return SOME_FAILED;
          }
          commandLine.getErr().println("error: " + e);
          e.printStackTrace(commandLine.getErr());
          return SOME_FAILED;
        });
    cli.setExitCodeExceptionMapper(e -> USAGE);
    return cli.execute(args);
  }
}
