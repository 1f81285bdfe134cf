package dev.vitrail.actors.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.fake.Faults;
import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.actors.worker.WorkerSettings;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class SupervisorParityTest {
  @JUnit5TestKit ActorTestKit kit = new JUnit5TestKitBuilder().build();

  @ParameterizedTest(name = "{0} workers, {1}")
  @CsvSource({
    "1,LPT", "2,LPT", "3,LPT", "4,LPT", "1,COST", "3,COST", "4,COST", "1,PULL", "2,PULL", "4,PULL"
  })
  void anyWorkerCountAndPolicyEqualsDirectCall(int workers, BalanceMode policy) {
    Faults faults = new Faults();
    ActorRef<Supervisor.Command> sup =
        kit.spawn(Supervisor.create(Harness.settings(workers, policy), faults.factory()));
    Random rnd = new Random(11);
    List<PixelInput> mixed = new ArrayList<>();
    int[][] grids = {{4, 6}, {8, 8}, {2, 2}, {10, 4}, {6, 6}, {2, 12}, {4, 4}, {16, 8}, {2, 6}};
    for (int[] g : grids) {
      mixed.add(Inputs.patches(rnd, g[0], g[1], 6));
    }
    FeatureSpec spec = new FeatureSpec(List.of(-2), "default", true, false);
    Harness.assertDirect(mixed, spec, Harness.submit(kit, sup, mixed, spec));
    List<PixelInput> images = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      images.add(Inputs.image(rnd, 8));
    }
    Harness.assertDirect(
        images, FeatureSpec.defaults(), Harness.submit(kit, sup, images, FeatureSpec.defaults()));
    for (var call : faults.calls()) {
      assertTrue(call.thread().startsWith("vitrail-tower-"), call.thread());
      assertTrue(call.size() <= 4, "batch limit exceeded: " + call.size());
    }
  }

  @Test
  void workerGivenNothingNeverCallsTheTower() {
    Faults faults = new Faults();
    ActorRef<Supervisor.Command> sup =
        kit.spawn(Supervisor.create(Harness.settings(4, BalanceMode.LPT), faults.factory()));
    List<PixelInput> one = List.of(Inputs.patches(new Random(3), 4, 4, 6));
    Harness.assertDirect(
        one, FeatureSpec.defaults(), Harness.submit(kit, sup, one, FeatureSpec.defaults()));
    assertEquals(1, faults.calls().size());
    assertEquals(0, faults.calls().get(0).worker());
  }

  @Test
  void queuedItemsAreBatchedWithoutWaiting() {
    Faults faults = new Faults();
    WorkerSettings noWait =
        new WorkerSettings(
            4,
            Duration.ZERO,
            Duration.ofSeconds(20),
            Duration.ofMillis(20),
            Duration.ofMillis(200));
    ActorRef<Supervisor.Command> sup =
        kit.spawn(
            Supervisor.create(SupervisorSettings.of(1, BalanceMode.LPT, noWait), faults.factory()));
    Random rnd = new Random(5);
    List<PixelInput> images = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      images.add(Inputs.image(rnd, 4));
    }
    Harness.assertDirect(
        images, FeatureSpec.defaults(), Harness.submit(kit, sup, images, FeatureSpec.defaults()));
    assertEquals(List.of(4, 4), faults.calls().stream().map(Faults.Call::size).toList());
  }
}
