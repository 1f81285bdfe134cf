package dev.vitrail.actors.supervisor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.fake.FakeTower;
import dev.vitrail.actors.worker.WorkerSettings;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** Shared settings and checks for supervisor tests. */
final class Harness {
  private Harness() {}

  static WorkerSettings worker(Duration callTimeout) {
    return new WorkerSettings(
        4, Duration.ofMillis(2), callTimeout, Duration.ofMillis(20), Duration.ofMillis(200));
  }

  static SupervisorSettings settings(int workers, BalanceMode policy) {
    return SupervisorSettings.of(workers, policy, worker(Duration.ofSeconds(20)));
  }

  /** Submits and waits for the single answer, checking no second answer follows. */
  static RequestOutcome submit(
      ActorTestKit kit,
      ActorRef<Supervisor.Command> sup,
      List<PixelInput> inputs,
      FeatureSpec spec) {
    TestProbe<RequestOutcome> probe = kit.createTestProbe();
    sup.tell(new Supervisor.Submit(inputs, spec, 0, probe.getRef()));
    RequestOutcome out = probe.receiveMessage(Duration.ofSeconds(30));
    probe.expectNoMessage(Duration.ofMillis(20));
    return out;
  }

  /** Asserts every item equals the direct computation. */
  static void assertDirect(List<PixelInput> inputs, FeatureSpec spec, RequestOutcome outcome) {
    RequestOutcome.Completed done = assertInstanceOf(RequestOutcome.Completed.class, outcome);
    assertEquals(inputs.size(), done.items().size());
    for (int i = 0; i < inputs.size(); i++) {
      assertSame(FakeTower.compute(inputs.get(i), spec), done.items().get(i), i);
    }
  }

  static void assertSame(FeatureOutput expected, ItemResult got, int index) {
    ItemResult.Encoded e = assertInstanceOf(ItemResult.Encoded.class, got, "item " + index);
    assertArrayEquals(expected.shape(), e.output().shape(), "shape of item " + index);
    assertArrayEquals(expected.values(), e.output().values(), "values of item " + index);
  }
}
