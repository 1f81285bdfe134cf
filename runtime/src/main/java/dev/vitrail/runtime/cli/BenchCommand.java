package dev.vitrail.runtime.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code vitrail bench NAME [ARGS...]}: runs one of the benchmark harnesses, passing the remaining
 * arguments to its {@code main}. {@code vitrail bench list} names them. The harnesses live in the
 * {@code bench} module, which the {@code vitrail} launcher puts on the class path for this command
 * only; they are found by class name, so no product class refers to benchmark code.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run a benchmark harness (vitrail bench list shows those in this build).",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE},
    footerHeading = ExitCodes.EXAMPLE,
    footer = {"  vitrail bench list", "  vitrail bench http models/clip-tiny 5 25 8 4 224"})
final class BenchCommand implements Callable<Integer> {
  /** The bench module's registry: {@code list()} and {@code run(String, String[])}. */
  static final String REGISTRY = "dev.vitrail.bench.Benchmarks";

  @Parameters(index = "0", paramLabel = "NAME", description = "Benchmark name, or 'list'.")
  String name;

  @Unmatched List<String> args = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The benchmarks of the bench module on the class path, name to description. */
  @SuppressWarnings("unchecked")
  static Map<String, String> available() throws ReflectiveOperationException {
    return (Map<String, String>) registry().getMethod("list").invoke(null);
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> available = available();
    if (name.equals("list")) {
      available.forEach((n, d) -> spec.commandLine().getOut().printf("%-16s %s%n", n, d));
      return 0;
    }
    if (!available.containsKey(name)) {
      throw new CliException("no benchmark '" + name + "'; available: " + available.keySet());
    }
    try {
      registry()
          .getMethod("run", String.class, String[].class)
          .invoke(null, name, args.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
    return 0;
  }

  private static Class<?> registry() {
    try {
      return Class.forName(REGISTRY, true, BenchCommand.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new CliException(
          "the benchmark harnesses are not on the class path: run them as ./vitrail bench NAME"
              + " (the launcher builds the bench module and adds it for this command)");
    }
  }
}
