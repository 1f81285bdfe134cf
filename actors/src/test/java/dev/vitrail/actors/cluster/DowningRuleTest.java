package dev.vitrail.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who downs whom: only the supervisor downs others, nobody downs the supervisor. */
class DowningRuleTest {
  private static final String SUP = ClusterConfig.SUPERVISOR;
  private static final String WORKER = ClusterConfig.WORKER;

  @Test
  void theSupervisorDownsEveryUnreachableWorker() {
    assertEquals(
        Set.of("w1", "w2"), DowningRule.toDown("s", SUP, Map.of("w1", WORKER, "w2", WORKER)));
    assertEquals(Set.of(), DowningRule.toDown("s", SUP, Map.of()));
  }

  @Test
  void theSupervisorIsNeverDownedWhateverIsReported() {
    // a worker resuming from a pause reports the supervisor unreachable for a moment
    assertEquals(Set.of("w1"), DowningRule.toDown("s", SUP, Map.of("s", SUP, "w1", WORKER)));
    assertEquals(Set.of(), DowningRule.toDown("w2", WORKER, Map.of("w1", WORKER)));
  }

  @Test
  void aWorkerCutOffFromTheSupervisorDownsOnlyItself() {
    assertEquals(Set.of("w2"), DowningRule.toDown("w2", WORKER, Map.of("s", SUP, "w1", WORKER)));
    assertEquals(Set.of("w2"), DowningRule.toDown("w2", WORKER, Map.of("s", SUP)));
  }
}
