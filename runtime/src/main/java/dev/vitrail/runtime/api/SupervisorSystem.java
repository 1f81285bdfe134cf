package dev.vitrail.runtime.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.actors.supervisor.Supervisor;
import dev.vitrail.actors.supervisor.SupervisorSettings;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The actor system a {@link Vitrail} runs its supervisor in: a local one, or with {@code
 * vitrail.cluster.enabled} the cluster's supervisor node ({@link ClusterBoot}).
 */
final class SupervisorSystem {
  private SupervisorSystem() {}

  /**
   * Starts the supervisor with {@code towers}; a cluster node uses only remote workers of model
   * {@code fingerprint}, with the limits of {@code config}'s {@code vitrail.cluster} block.
   */
  static ActorSystem<Supervisor.Command> start(
      RuntimeSettings settings,
      SupervisorSettings supervised,
      EncoderFactory towers,
      Config config,
      String fingerprint) {
    return settings.clusterEnabled()
        ? ClusterBoot.supervisor(
            Supervisor.createWithRemoteWorkers(
                supervised, towers, ClusterBoot.remoteSettings(config, settings, fingerprint)),
            TcpReadSettings.over(config))
        : ActorSystem.create(
            Supervisor.create(supervised, towers),
            "vitrail",
            LazySerialization.over(TcpReadSettings.over(ConfigFactory.load())));
  }
}
