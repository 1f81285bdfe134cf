package dev.vitrail.runtime.cli;

import dev.vitrail.runtime.http.EmbeddingServer;
import dev.vitrail.runtime.http.GracefulShutdown;
import dev.vitrail.runtime.http.HttpSettings;
import dev.vitrail.runtime.http.VideoSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.pekko.actor.CoordinatedShutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail serve}: the HTTP API until SIGTERM/SIGINT, which drain it ({@link
 * GracefulShutdown}) and end the process with status 0. With cluster options it is also the
 * cluster's supervisor node; should that node be removed from the cluster, the command exits with
 * status 3 and one line saying why.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve the HTTP API (embeddings, encode, video, health, metrics) for one or more models.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE, ExitCodes.CLUSTER},
    footerHeading = ExitCodes.EXAMPLE,
    footer = "  vitrail serve --model models/clip-tiny --port 8080")
final class ServeCommand implements Callable<Integer> {
  @Mixin ModelOptions model;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "Interface to bind (default: ${bundle:vitrail.http.host:-?}, vitrail.http.host).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "TCP port, 0 for any (default: ${bundle:vitrail.http.port:-?}, vitrail.http.port).")
  Integer port;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // SIGTERM/SIGINT: during start-up, stop what started and exit 0; once listening, drain with
    // the port open, stop the workers and end call() with the status.
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    GracefulShutdown.Startup signals = GracefulShutdown.early(exit::complete);
    HttpSettings defaults = HttpSettings.load();
    HttpSettings settings =
        defaults.withAddress(
            host != null ? host : defaults.host(), port != null ? port : defaults.port());
    List<ServedModel> all = model.openAll(cluster.given() ? cluster.overrides() : Map.of());
    ServedModel served = all.get(0);
    // The server runs in the first model's actor system: close the others first.
    AutoCloseable models =
        () -> {
          for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).close();
          }
        };
    if (signals.requested()) {
      return signals.stopDuringStartup(models);
    }
    EmbeddingServer server;
    try {
      server = EmbeddingServer.start(all, settings, VideoSettings.load());
    } catch (RuntimeException e) {
      models.close();
      throw new CliException(e.getMessage());
    }
    signals.serving(server, models); // drains at once if a signal came during start-up
    BooleanSupplier draining = signals::requested;
    var system = served.vitrail().system();
    system
        .getWhenTerminated()
        .thenRun(
            () -> {
              if (!draining.getAsBoolean()) { // not our drain: removed from the cluster
                var reason = CoordinatedShutdown.get(system).getShutdownReason();
                spec.commandLine()
                    .getErr()
                    .println(
                        "vitrail serve: the supervisor node stopped ("
                            + reason.map(Object::toString).orElse("actor system terminated")
                            + "); exiting");
                exit.complete(Main.CLUSTER);
              }
            });
    spec.commandLine()
        .getOut()
        .printf(
            "serving %s on http://%s:%d (Ctrl-C to stop)%s%n",
            all.stream().map(m -> "'" + m.name() + "'").collect(Collectors.joining(", ")),
            server.address().getHostString(),
            server.address().getPort(),
            served.vitrail().settings().clusterEnabled()
                ? "; cluster node " + system.address()
                : "");
    spec.commandLine().getOut().flush(); // read by scripts and the overload bench when piped
    return exit.join();
  }
}
