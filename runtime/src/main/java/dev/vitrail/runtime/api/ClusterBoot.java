package dev.vitrail.runtime.api;

import com.typesafe.config.Config;
import dev.vitrail.actors.cluster.ClusterConfig;
import dev.vitrail.actors.supervisor.RemoteSettings;
import dev.vitrail.actors.supervisor.Supervisor;
import dev.vitrail.config.settings.RuntimeSettings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** Starts the supervisor's cluster node from the {@code vitrail.cluster} settings. */
final class ClusterBoot {
  private ClusterBoot() {}

  /**
   * The supervisor node: role {@code supervisor}; with no seed nodes configured it forms the
   * cluster on its own address (workers then name that address as their seed).
   */
  static ActorSystem<Supervisor.Command> supervisor(
      Behavior<Supervisor.Command> behavior, Config config) {
    Config node = ClusterConfig.forNode(config, ClusterConfig.SUPERVISOR);
    ActorSystem<Supervisor.Command> system = ActorSystem.create(behavior, "vitrail", node);
    if (node.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    return system;
  }

  /** Per-remote-worker limits from {@code vitrail.cluster}. */
  static RemoteSettings remoteSettings(
      Config config, RuntimeSettings settings, String fingerprint) {
    Config c = config.getConfig("vitrail.cluster");
    int items = c.getInt("max-items-per-worker");
    return new RemoteSettings(
        settings.remoteWorkerSpeed(),
        fingerprint,
        items > 0 ? items : 4 * settings.batchLimit(),
        c.getBytes("max-bytes-per-worker"),
        c.getBytes("max-message-bytes"),
        c.getDuration("hedge-after"));
  }
}
