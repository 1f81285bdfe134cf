package dev.vitrail.runtime.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Cluster options shared by {@code vitrail serve} and {@code vitrail worker}; they set the {@code
 * vitrail.cluster} block every node derives its Pekko cluster configuration from.
 */
final class ClusterOptions {
  @Option(
      names = "--seed-nodes",
      split = ",",
      paramLabel = "ADDR",
      description =
          "Cluster seed nodes, e.g. pekko://vitrail@10.0.0.1:25520 (comma-separated): the"
              + " supervisor's address (default: ${bundle:vitrail.cluster.seed-nodes:-?}, vitrail.cluster.seed-nodes).")
  List<String> seedNodes;

  @Option(
      names = "--cluster-host",
      paramLabel = "HOST",
      description =
          "Address other nodes reach this one at (default: ${bundle:vitrail.cluster.host:-?}, vitrail.cluster.host).")
  String host;

  @Option(
      names = "--cluster-port",
      paramLabel = "PORT",
      description =
          "Cluster port of this node, 0 for any (default: ${bundle:vitrail.cluster.port:-?}, vitrail.cluster.port).")
  Integer port;

  /** True when any cluster option was given. */
  boolean given() {
    return seedNodes != null || host != null || port != null;
  }

  /** The {@code vitrail.cluster} settings these options set (and {@code enabled}). */
  Map<String, Object> overrides() {
    Map<String, Object> o = new HashMap<>();
    o.put("vitrail.cluster.enabled", true);
    if (seedNodes != null) {
      for (String s : seedNodes) {
        if (!s.startsWith("pekko://vitrail@")) {
          throw new CliException(
              "--seed-nodes: expected pekko://vitrail@HOST:PORT, got '" + s + "'");
        }
      }
      o.put("vitrail.cluster.seed-nodes", seedNodes);
    }
    if (host != null) {
      o.put("vitrail.cluster.host", host);
    }
    if (port != null) {
      if (port < 0 || port > 65535) {
        throw new CliException("--cluster-port must be 0..65535, got " + port);
      }
      o.put("vitrail.cluster.port", port);
    }
    return o;
  }
}
