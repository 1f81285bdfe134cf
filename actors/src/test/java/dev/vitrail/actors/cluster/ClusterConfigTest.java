package dev.vitrail.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every node derives the same Pekko cluster settings from vitrail.cluster. */
class ClusterConfigTest {
  /** The vitrail.cluster defaults (they live in the config module's reference.conf). */
  private static final String DEFAULTS =
      "vitrail.cluster { seed-nodes = [], host = \"127.0.0.1\", port = 0, join-timeout = 60s,"
          + " heartbeat-interval = 500ms, acceptable-heartbeat-pause = 2s, stable-after = 3s,"
          + " tls { enabled = false, key-store = \"\", key-store-password = \"\","
          + " key-password = \"\", trust-store = \"\", trust-store-password = \"\","
          + " require-mutual-authentication = true } }";

  private static Config base(String hocon) {
    return ConfigFactory.parseString(hocon)
        .withFallback(ConfigFactory.parseString(DEFAULTS))
        .withFallback(ConfigFactory.load());
  }

  @Test
  void supervisorAndWorkerDifferOnlyInRole() {
    Config b = base("vitrail.cluster { seed-nodes = [\"pekko://vitrail@10.0.0.1:25520\"] }");
    Config sup = ClusterConfig.forNode(b, ClusterConfig.SUPERVISOR);
    Config worker = ClusterConfig.forNode(b, ClusterConfig.WORKER);
    assertEquals(List.of("supervisor"), sup.getStringList("pekko.cluster.roles"));
    assertEquals(List.of("worker"), worker.getStringList("pekko.cluster.roles"));
    for (String key :
        List.of(
            "pekko.actor.provider",
            "pekko.cluster.downing-provider-class",
            "vitrail.cluster.stable-after",
            "pekko.cluster.failure-detector.acceptable-heartbeat-pause",
            "pekko.remote.artery.advanced.maximum-large-frame-size",
            "pekko.cluster.seed-nodes")) {
      assertEquals(sup.getValue(key), worker.getValue(key), key);
    }
    assertEquals(
        SupervisorDowning.class.getName(), sup.getString("pekko.cluster.downing-provider-class"));
    assertEquals("tcp", sup.getString("pekko.remote.artery.transport"));
  }

  @Test
  void tlsNeedsItsStoresAndTurnsOnMutualAuthentication() {
    String stores =
        "key-store = k.p12, key-store-password = a, key-password = b, trust-store = t.p12,"
            + " trust-store-password = c";
    Config tls =
        ClusterConfig.forNode(
            base("vitrail.cluster.tls { enabled = true, " + stores + " }"), ClusterConfig.WORKER);
    assertEquals("tls-tcp", tls.getString("pekko.remote.artery.transport"));
    String ssl = "pekko.remote.artery.ssl.config-ssl-engine.";
    assertEquals("k.p12", tls.getString(ssl + "key-store"));
    assertEquals("t.p12", tls.getString(ssl + "trust-store"));
    assertTrue(tls.getBoolean(ssl + "require-mutual-authentication"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClusterConfig.forNode(
                    base("vitrail.cluster.tls.enabled = true"), ClusterConfig.WORKER));
    assertTrue(e.getMessage().contains("vitrail.cluster.tls.key-store"), e.getMessage());
  }
}
