package dev.vitrail.bench.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.actors.cluster.ClusterConfig;
import dev.vitrail.actors.cluster.WorkerNode;
import dev.vitrail.actors.worker.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Cluster;

/**
 * A cluster worker node with one {@link SimulatedTower} (a device the CPU waits on: each batch
 * sleeps {@code MS} milliseconds per item) for {@link ClusterScalingBench}. Arguments: seed port,
 * own port, milliseconds per item. Prints {@code joined} once it is up.
 */
public final class SimulatedWorkerNode {
  /** The fingerprint simulated nodes register under. */
  static final String FINGERPRINT = "simulated";

  private SimulatedWorkerNode() {}

  /** Runs until killed (or downed five times). */
  public static void main(String[] args) {
    int seed = Integer.parseInt(args[0]);
    int port = Integer.parseInt(args[1]);
    double ms = Double.parseDouble(args[2]);
    Config config =
        ClusterConfig.forNode(
            ConfigFactory.parseMap(
                    Map.of(
                        "vitrail.cluster.seed-nodes",
                        List.of("pekko://vitrail@127.0.0.1:" + seed),
                        "vitrail.cluster.port",
                        port))
                .withFallback(ConfigFactory.load()),
            ClusterConfig.WORKER);
    WorkerSettings settings =
        new WorkerSettings(
            8,
            Duration.ZERO,
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            Duration.ofSeconds(1));
    // Like `vitrail worker`: a node downed while the machine is overloaded joins again (a few
    // times at most; the benchmark fails if its workers do not all join).
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping.set(true)));
    for (int round = 0; round < 5 && !stopping.get(); round++) {
      ActorSystem<Void> system =
          ActorSystem.create(
              WorkerNode.create(
                  1,
                  w -> tower(ms),
                  settings,
                  FINGERPRINT,
                  config.getDuration("vitrail.cluster.drain-timeout")),
              "vitrail",
              config);
      Cluster.get(system).registerOnMemberUp(() -> System.out.println("joined " + port));
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /** A sleeping tower taking {@code ms} per item of any size. */
  static SimulatedTower tower(double ms) {
    return new SimulatedTower(
        CostModel.linear(), ms * 1e6 / CostModel.linear().cost(1024), 1, false);
  }
}
