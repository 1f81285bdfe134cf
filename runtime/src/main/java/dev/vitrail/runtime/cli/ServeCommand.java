package dev.vitrail.runtime.cli;

import dev.vitrail.runtime.http.EmbeddingServer;
import dev.vitrail.runtime.http.HttpSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.CoordinatedShutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail serve}: the HTTP API until the process is stopped (SIGINT/SIGTERM drain first).
 * With cluster options it is also the cluster's supervisor node; should that node be removed from
 * the cluster, the command exits with status 3 and one line saying why.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve POST /v1/embeddings, GET /health and GET /metrics for one model.")
final class ServeCommand implements Callable<Integer> {
  @Mixin ModelOptions model;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Interface to bind (default: vitrail.http.host, 127.0.0.1).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "TCP port (default: vitrail.http.port, 8080).")
  Integer port;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    HttpSettings defaults = HttpSettings.load();
    HttpSettings settings =
        defaults.withAddress(
            host != null ? host : defaults.host(), port != null ? port : defaults.port());
    ServedModel served = model.open(cluster.given() ? cluster.overrides() : Map.of());
    EmbeddingServer server;
    try {
      server = EmbeddingServer.start(served, settings);
    } catch (RuntimeException e) {
      served.close();
      throw new CliException(e.getMessage());
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  server.close();
                  served.close();
                },
                "vitrail-shutdown"));
    spec.commandLine()
        .getOut()
        .printf(
            "serving '%s' on http://%s:%d (Ctrl-C to stop)%s%n",
            served.name(),
            server.address().getHostString(),
            server.address().getPort(),
            served.vitrail().settings().clusterEnabled()
                ? "; cluster node " + served.vitrail().system().address()
                : "");
    spec.commandLine().getOut().flush();
    var system = served.vitrail().system();
    system.getWhenTerminated().toCompletableFuture().join();
    if (!stopping.get()) {
      var reason = CoordinatedShutdown.get(system).getShutdownReason();
      spec.commandLine()
          .getErr()
          .println(
              "vitrail serve: the supervisor node stopped ("
                  + reason.map(Object::toString).orElse("actor system terminated")
                  + "); exiting");
      return Main.CLUSTER;
    }
    return 0;
  }
}
