package dev.vitrail.actors.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** Loopback cluster nodes in one JVM: random ports, joined to the first node. */
final class ClusterNodes {
  private ClusterNodes() {}

  static Config config() {
    return LargeMessages.enable(
        ConfigFactory.parseString(
                """
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.enabled = off
        pekko.cluster.run-coordinated-shutdown-when-down = on
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.coordinated-shutdown.exit-jvm = off
        """)
            .withFallback(ConfigFactory.load()));
  }

  /** A node of the actor system every node shares the name of. */
  static ActorTestKit start() {
    return ActorTestKit.create("vitrail", config());
  }

  /** Joins every node to the first one's address and waits until all are up. */
  static void join(ActorTestKit... nodes) {
    var seed = Cluster.get(nodes[0].system()).selfMember().address();
    for (ActorTestKit n : nodes) {
      Cluster.get(n.system()).manager().tell(Join.create(seed));
    }
    awaitTrue(
        Duration.ofSeconds(20),
        "all " + nodes.length + " nodes up",
        () -> {
          for (ActorTestKit n : nodes) {
            var state = Cluster.get(n.system()).state();
            long up = 0;
            for (var m : state.getMembers()) {
              if (m.status() == MemberStatus.up()) {
                up++;
              }
            }
            if (up != nodes.length) {
              return false;
            }
          }
          return true;
        });
  }

  static void awaitTrue(Duration max, String what, BooleanSupplier check) {
    long end = System.nanoTime() + max.toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out after " + max + " waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }
}
