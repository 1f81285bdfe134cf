package dev.vitrail.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one Pekko cluster configuration every Vitrail node runs with, derived from the {@code
 * vitrail.cluster} block: cluster provider, seed nodes, canonical address, the node's role, the
 * downing provider, failure-detector timing, optional Artery TLS and the large-message settings.
 * Because the supervisor ({@code vitrail serve}) and the workers ({@code vitrail worker}) build it
 * the same way, their join-compatibility checks agree.
 *
 * <p>Downing: {@link SupervisorDowning}. The supervisor (the only member of role {@value
 * #SUPERVISOR}) downs unreachable workers and is never downed; workers cut off from it down
 * themselves (and rejoin, see {@code vitrail worker}).
 */
public final class ClusterConfig {
  /** The role of the node running the supervisor. */
  public static final String SUPERVISOR = "supervisor";

  /** The role of worker nodes. */
  public static final String WORKER = "worker";

  private ClusterConfig() {}

  /**
   * {@code base} with the cluster settings of a node of {@code role} applied on top; {@code
   * vitrail.cluster.*} in {@code base} supplies seeds, address, timings and TLS.
   */
  public static Config forNode(Config base, String role) {
    if (!SUPERVISOR.equals(role) && !WORKER.equals(role)) {
      throw new IllegalArgumentException("unknown cluster role " + role);
    }
    Config c = base.resolve().getConfig("vitrail.cluster");
    Map<String, Object> o = new HashMap<>();
    o.put("pekko.actor.provider", "cluster");
    o.put("pekko.cluster.seed-nodes", c.getStringList("seed-nodes"));
    o.put("pekko.remote.artery.canonical.hostname", c.getString("host"));
    o.put("pekko.remote.artery.canonical.port", c.getInt("port"));
    o.put("pekko.cluster.roles", List.of(role));
    o.put("pekko.cluster.downing-provider-class", SupervisorDowning.class.getName());
    o.put(
        "pekko.cluster.failure-detector.heartbeat-interval",
        c.getDuration("heartbeat-interval").toMillis() + "ms");
    o.put(
        "pekko.cluster.failure-detector.acceptable-heartbeat-pause",
        c.getDuration("acceptable-heartbeat-pause").toMillis() + "ms");
    o.put(
        "pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes",
        c.getDuration("join-timeout").toMillis() + "ms");
    o.put("pekko.cluster.seed-node-timeout", "2s");
    o.put("pekko.cluster.retry-unsuccessful-join-after", "2s");
    // A downed node stops its actor system; the command decides what happens next (exit or
    // rejoin), so Pekko must not exit the JVM itself.
    o.put("pekko.cluster.run-coordinated-shutdown-when-down", "on");
    o.put("pekko.coordinated-shutdown.exit-jvm", "off");
    o.put("pekko.cluster.jmx.enabled", "off");
    // Leaving needs convergence; with peers gone at the same moment (all nodes stopped together)
    // it cannot converge, so these phases would hold SIGTERM for their 5 s / 10 s defaults.
    o.put("pekko.coordinated-shutdown.phases.cluster-leave.timeout", "3s");
    o.put("pekko.coordinated-shutdown.phases.cluster-exiting.timeout", "3s");
    // A worker asked to exit finishes its received items first (LeaveDrain), in this phase.
    o.put(
        "pekko.coordinated-shutdown.phases.service-requests-done.timeout",
        c.getDuration("drain-timeout").plusSeconds(3).toMillis() + "ms");
    if (c.getBoolean("tls.enabled")) {
      Config t = c.getConfig("tls");
      String ssl = "pekko.remote.artery.ssl.config-ssl-engine.";
      o.put("pekko.remote.artery.transport", "tls-tcp");
      for (String k :
          List.of(
              "key-store",
              "key-store-password",
              "key-password",
              "trust-store",
              "trust-store-password")) {
        if (t.getString(k).isEmpty()) {
          throw new IllegalArgumentException("vitrail.cluster.tls." + k + " must be set");
        }
        o.put(ssl + k, t.getString(k));
      }
      o.put(
          ssl + "require-mutual-authentication",
          t.getBoolean("require-mutual-authentication") ? "on" : "off");
    }
    return LargeMessages.enable(ConfigFactory.parseMap(o).withFallback(base));
  }
}
