package dev.vitrail.runtime.cli;

import dev.vitrail.runtime.cli.resident.ResidentStop;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail resident stop}: ends this user's resident JVMs (the JVMs that keep {@code vitrail
 * encode} warm between commands; each also ends by itself when idle).
 */
@Command(
    name = "resident",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the resident JVMs that keep `vitrail encode` warm between commands.",
      "The launcher starts one per JVM command line, folder and environment; each ends after"
          + " VITRAIL_RESIDENT_IDLE seconds without a command (default 600)."
          + " VITRAIL_RESIDENT=off runs every command in a JVM of its own."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.USAGE},
    footerHeading = ExitCodes.EXAMPLE,
    footer = "  vitrail resident stop")
final class ResidentCommand implements Callable<Integer> {
  /** What to do. */
  enum Action {
    stop
  }

  @Parameters(
      index = "0",
      paramLabel = "ACTION",
      description = "stop: end every resident JVM of this user (each after its running command).")
  Action action;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    int asked = ResidentStop.stopAll(System.getenv());
    spec.commandLine().getOut().println("asked " + asked + " resident JVM(s) to end");
    return 0;
  }
}
