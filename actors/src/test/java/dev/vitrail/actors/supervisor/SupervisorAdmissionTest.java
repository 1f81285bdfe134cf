package dev.vitrail.actors.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.fake.Faults;
import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class SupervisorAdmissionTest {
  @JUnit5TestKit ActorTestKit kit = new JUnit5TestKitBuilder().build();

  private static List<PixelInput> images(int n, long seed) {
    Random rnd = new Random(seed);
    List<PixelInput> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Inputs.image(rnd, 4));
    }
    return out;
  }

  @Test
  void overloadIsRejectedAsBusyInsteadOfQueued() {
    Faults faults = new Faults(20_000); // 20 ms per item at most: the first request stays in flight
    ActorRef<Supervisor.Command> sup =
        kit.spawn(
            Supervisor.create(
                Harness.settings(1, BalanceMode.LPT).withMaxInFlightItems(10), faults.factory()));
    TestProbe<RequestOutcome> first = kit.createTestProbe();
    TestProbe<RequestOutcome> second = kit.createTestProbe();
    sup.tell(new Supervisor.Submit(images(8, 1), FeatureSpec.defaults(), 0, first.getRef()));
    sup.tell(new Supervisor.Submit(images(3, 2), FeatureSpec.defaults(), 0, second.getRef()));
    RequestOutcome.Rejected r =
        assertInstanceOf(RequestOutcome.Rejected.class, second.receiveMessage());
    assertTrue(r.busy() && r.reason().contains("busy"), r.reason());
    assertInstanceOf(RequestOutcome.Completed.class, first.receiveMessage(Duration.ofSeconds(10)));
  }

  @Test
  void requestLargerThanTheLimitIsRejectedForGoodNotAsBusy() {
    ActorRef<Supervisor.Command> sup =
        kit.spawn(
            Supervisor.create(
                Harness.settings(1, BalanceMode.LPT).withMaxInFlightItems(4),
                new Faults().factory()));
    TestProbe<RequestOutcome> probe = kit.createTestProbe();
    sup.tell(new Supervisor.Submit(images(5, 3), FeatureSpec.defaults(), 0, probe.getRef()));
    RequestOutcome.Rejected r =
        assertInstanceOf(RequestOutcome.Rejected.class, probe.receiveMessage());
    assertTrue(!r.busy() && r.reason().contains("split"), r.reason());
    sup.tell(new Supervisor.Submit(List.of(), FeatureSpec.defaults(), 0, probe.getRef()));
    assertInstanceOf(RequestOutcome.Rejected.class, probe.receiveMessage());
  }

  @Test
  void drainFinishesInFlightWorkThenStops() {
    Faults faults = new Faults(5_000);
    ActorRef<Supervisor.Command> sup =
        kit.spawn(Supervisor.create(Harness.settings(2, BalanceMode.PULL), faults.factory()));
    List<TestProbe<RequestOutcome>> probes = new ArrayList<>();
    List<List<PixelInput>> reqs = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      TestProbe<RequestOutcome> p = kit.createTestProbe();
      reqs.add(images(6, 10 + r));
      sup.tell(new Supervisor.Submit(reqs.get(r), FeatureSpec.defaults(), 0, p.getRef()));
      probes.add(p);
    }
    TestProbe<Done> drained = kit.createTestProbe();
    sup.tell(new Supervisor.Drain(drained.getRef()));
    TestProbe<RequestOutcome> late = kit.createTestProbe();
    sup.tell(new Supervisor.Submit(images(1, 99), FeatureSpec.defaults(), 0, late.getRef()));
    assertTrue(
        assertInstanceOf(RequestOutcome.Rejected.class, late.receiveMessage())
            .reason()
            .contains("shutting down"));
    for (int r = 0; r < 5; r++) {
      Harness.assertDirect(
          reqs.get(r),
          FeatureSpec.defaults(),
          probes.get(r).receiveMessage(Duration.ofSeconds(10)));
    }
    drained.receiveMessage(Duration.ofSeconds(10));
    drained.expectTerminated(sup, Duration.ofSeconds(5));
    assertEquals(2, faults.closes(), "both towers closed on shutdown");
  }

  @Test
  void repeatedImagesAreServedFromTheCache() {
    Faults faults = new Faults();
    ActorRef<Supervisor.Command> sup =
        kit.spawn(
            Supervisor.create(
                Harness.settings(2, BalanceMode.LPT).withCacheBytes(1 << 20), faults.factory()));
    List<PixelInput> imgs = images(3, 4);
    Harness.assertDirect(
        imgs, FeatureSpec.defaults(), Harness.submit(kit, sup, imgs, FeatureSpec.defaults()));
    int callsBefore = faults.calls().stream().mapToInt(Faults.Call::size).sum();
    Harness.assertDirect(
        imgs, FeatureSpec.defaults(), Harness.submit(kit, sup, imgs, FeatureSpec.defaults()));
    assertEquals(callsBefore, faults.calls().stream().mapToInt(Faults.Call::size).sum());
    FeatureSpec other = new FeatureSpec(List.of(-1), null, true, false);
    Harness.assertDirect(imgs, other, Harness.submit(kit, sup, imgs, other));
    TestProbe<SupervisorStats> stats = kit.createTestProbe();
    sup.tell(new Supervisor.GetStats(stats.getRef()));
    SupervisorStats s = stats.receiveMessage();
    assertEquals(3, s.cache().hits());
    assertEquals(6, s.cache().misses());
  }
}
