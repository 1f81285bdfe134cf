package dev.vitrail.runtime.cli;

import com.typesafe.config.Config;
import dev.vitrail.actors.cluster.ClusterConfig;
import dev.vitrail.actors.cluster.WorkerNode;
import dev.vitrail.actors.worker.WorkerSettings;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.tensor.DevicePlacement;
import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.model.ModelFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitrail worker}: a Pekko Cluster worker node offering one encoder worker per device to the
 * cluster's supervisors until the process is stopped. A node that is downed or removed after it had
 * joined (e.g. cut off from the supervisor, or the supervisor restarted) starts a fresh actor
 * system and joins again; one that cannot join within {@code vitrail.cluster.join-timeout}, or
 * whose join is refused, exits with status 3 and one line saying why.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Join a Pekko Cluster and offer this machine's encoder workers to its supervisors.",
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK, ExitCodes.USAGE, ExitCodes.CLUSTER},
    footerHeading = ExitCodes.EXAMPLE,
    footer = {
      "  vitrail worker --model models/clip-tiny \\",
      "      --seed-nodes pekko://vitrail@127.0.0.1:25520 --port 25521"
    })
final class WorkerCommand implements Callable<Integer> {
  @Mixin ModelOptions model;

  @Option(
      names = "--seed-nodes",
      required = true,
      split = ",",
      paramLabel = "ADDR",
      description = "Cluster seed nodes: the supervisor, e.g. pekko://vitrail@10.0.0.1:25520.")
  List<String> seedNodes;

  @Option(
      names = {"--host", "--cluster-host"},
      paramLabel = "HOST",
      description =
          "Address other nodes reach this one at (default: ${bundle:vitrail.cluster.host:-?}, vitrail.cluster.host).")
  String host;

  @Option(
      names = {"--port", "--cluster-port"},
      paramLabel = "PORT",
      description =
          "Cluster port of this node, 0 for any (default: ${bundle:vitrail.cluster.port:-?}, vitrail.cluster.port).")
  Integer port;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ClusterOptions options = new ClusterOptions();
    options.seedNodes = seedNodes;
    options.host = host;
    options.port = port;
    Config config = model.config(options.overrides());
    RuntimeSettings requested = RuntimeSettings.from(config);
    LibtorchTowers.selectBlas(requested.blas()); // before the device probe loads libtorch
    LibtorchTowers.selectTowerSplit(requested.towerSplit());
    LibtorchTowers.selectLinearKernel(requested.linearKernel());
    Path dir = model.dir().toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new CliException("model directory does not exist: " + dir);
    }
    RuntimeSettings settings =
        LibtorchTowers.forTower(DevicePlacement.place(requested), HfConfigs.read(dir));
    String fingerprint = ModelFingerprint.of(dir, settings.computeDtype());
    LibtorchTowers.configureThreads(settings.torchThreads(), settings.blasThreads());
    WorkerSettings worker =
        new WorkerSettings(
            settings.batchLimit(),
            settings.batchWait(),
            settings.callTimeout(),
            settings.restartMinBackoff(),
            settings.restartMaxBackoff(),
            settings.batchPatchBudget(),
            LibtorchTowers.coreGate(settings));
    Config node = ClusterConfig.forNode(config, ClusterConfig.WORKER);
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping.set(true), "vitrail-stopping"));
    // Bounded by the process's life: every round either joins (and then runs until removed) or
    // ends the command after join-timeout.
    while (true) {
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
                  worker,
                  fingerprint,
                  config.getDuration("vitrail.cluster.drain-timeout")),
              "vitrail",
              node);
      AtomicBoolean joined = new AtomicBoolean();
      Cluster.get(system)
          .registerOnMemberUp(
              () -> {
                joined.set(true);
                spec.commandLine()
                    .getOut()
                    .printf(
                        "worker node %s joined: %d encoder workers for %s (model %s)%n",
                        system.address(), settings.workers(), dir, fingerprint);
                spec.commandLine().getOut().flush();
              });
      system.getWhenTerminated().toCompletableFuture().join();
      var reason = CoordinatedShutdown.get(system).getShutdownReason();
      String why = reason.map(Object::toString).orElse("actor system terminated");
      if (stopping.get()) {
        return 0;
      }
      if (!joined.get()) {
        spec.commandLine()
            .getErr()
            .println(
                "vitrail worker: could not join the cluster at "
                    + seedNodes
                    + " ("
                    + why
                    + "); check that the supervisor runs and every node has the same"
                    + " vitrail.cluster settings");
        return Main.CLUSTER;
      }
      spec.commandLine()
          .getOut()
          .printf(
              "worker node %s was removed from the cluster (%s); rejoining%n",
              system.address(), why);
      spec.commandLine().getOut().flush();
    }
  }
}
