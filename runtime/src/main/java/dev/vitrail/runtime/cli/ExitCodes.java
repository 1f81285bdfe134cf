package dev.vitrail.runtime.cli;

/** The exit-code lines of the commands' {@code --help} (picocli's "key:description" form). */
final class ExitCodes {
  static final String HEADING = "%nExit codes:%n";
  static final String OK = "0:Success.";
  static final String SOME_FAILED =
      "1:Some inputs failed (the others were written), or a run error.";
  static final String USAGE = "2:Usage error: bad option, missing path, invalid model or settings.";
  static final String CLUSTER = "3:A cluster node could not join, or was removed from its cluster.";
  static final String EXAMPLE = "%nExample:%n";

  private ExitCodes() {}
}
