package dev.vitrail.runtime.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.actors.cluster.LargeMessages;
import dev.vitrail.actors.cluster.WorkerNode;
import dev.vitrail.actors.worker.WorkerSettings;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.runtime.api.LibtorchTowers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail worker}: a Pekko Cluster worker node offering one encoder worker per device to the
 * cluster's supervisors until the process is stopped.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Join a Pekko Cluster and offer this machine's encoder workers to its supervisors.")
final class WorkerCommand implements Callable<Integer> {
  @Mixin ModelOptions model;

  @Option(
      names = "--seed-nodes",
      required = true,
      split = ",",
      paramLabel = "ADDR",
      description = "Cluster seed nodes, e.g. pekko://vitrail@10.0.0.1:25520 (comma-separated).")
  List<String> seedNodes;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "Address other nodes reach this one at (default: pekko.remote.artery.canonical.hostname).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "Cluster port of this node, 0 for any (default: pekko.remote.artery.canonical.port).")
  Integer port;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    RuntimeSettings settings = model.settings();
    Path dir = model.model.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new CliException("model directory does not exist: " + dir);
    }
    HfConfigs.read(dir);
    LibtorchTowers.selectBlas(settings.blas());
    LibtorchTowers.configureThreads(settings.torchThreads(), settings.blasThreads());
    WorkerSettings worker =
        new WorkerSettings(
            settings.batchLimit(),
            settings.batchWait(),
            settings.callTimeout(),
            settings.restartMinBackoff(),
            settings.restartMaxBackoff());
    ActorSystem<Void> system =
        ActorSystem.create(
            WorkerNode.create(
                settings.workers(),
                LibtorchTowers.of(
                    dir,
                    settings.devices(),
                    settings.computeDtype(),
                    settings.torchThreads(),
                    settings.blasThreads()),
                worker),
            "vitrail",
            clusterConfig());
    spec.commandLine()
        .getOut()
        .printf(
            "worker node %s: %d encoder workers for %s (Ctrl-C to stop)%n",
            system.address(), settings.workers(), dir);
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  private Config clusterConfig() {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("pekko.actor.provider", "cluster");
    overrides.put("pekko.cluster.seed-nodes", seedNodes);
    if (host != null) {
      overrides.put("pekko.remote.artery.canonical.hostname", host);
    }
    if (port != null) {
      overrides.put("pekko.remote.artery.canonical.port", port);
    }
    return LargeMessages.enable(
        ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
  }
}
