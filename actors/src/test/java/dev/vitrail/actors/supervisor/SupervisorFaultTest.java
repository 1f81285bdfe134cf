package dev.vitrail.actors.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.fake.FakeTower;
import dev.vitrail.actors.fake.Faults;
import dev.vitrail.actors.fake.Inputs;
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
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class SupervisorFaultTest {
  @JUnit5TestKit ActorTestKit kit = new JUnit5TestKitBuilder().build();

  private static final FeatureSpec SPEC = FeatureSpec.defaults();

  private ActorRef<Supervisor.Command> start(
      Faults faults, int workers, BalanceMode policy, Duration callTimeout) {
    SupervisorSettings s = SupervisorSettings.of(workers, policy, Harness.worker(callTimeout));
    return kit.spawn(Supervisor.create(s, faults.factory()));
  }

  /** Sends several requests at once; each gets exactly one answer. */
  private List<RequestOutcome> submitAll(
      ActorRef<Supervisor.Command> sup, List<List<PixelInput>> requests) {
    List<TestProbe<RequestOutcome>> probes = new ArrayList<>();
    for (List<PixelInput> r : requests) {
      TestProbe<RequestOutcome> p = kit.createTestProbe();
      sup.tell(new Supervisor.Submit(r, SPEC, 0, p.getRef()));
      probes.add(p);
    }
    List<RequestOutcome> outs = new ArrayList<>();
    for (TestProbe<RequestOutcome> p : probes) {
      outs.add(p.receiveMessage(Duration.ofSeconds(30)));
    }
    for (TestProbe<RequestOutcome> p : probes) {
      p.expectNoMessage(Duration.ofMillis(50));
    }
    return outs;
  }

  /** Marks item {@code i} of request {@code r} with a fault marker (see {@link Faults}). */
  private static void mark(List<List<PixelInput>> rs, int r, int i, float marker) {
    rs.get(r).set(i, Inputs.marked(rs.get(r).get(i), marker));
  }

  /** Every request completed with exactly the direct tower results. */
  private static void assertAllDirect(List<List<PixelInput>> rs, List<RequestOutcome> outs) {
    for (int r = 0; r < rs.size(); r++) {
      Harness.assertDirect(rs.get(r), SPEC, outs.get(r));
    }
  }

  private SupervisorStats statsOf(ActorRef<Supervisor.Command> sup) {
    TestProbe<SupervisorStats> stats = kit.createTestProbe();
    sup.tell(new Supervisor.GetStats(stats.getRef()));
    return stats.receiveMessage();
  }

  private static List<List<PixelInput>> requests(Random rnd, int count, int size) {
    List<List<PixelInput>> rs = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      List<PixelInput> items = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        items.add(Inputs.patches(rnd, 2 + 2 * rnd.nextInt(4), 2 + 2 * rnd.nextInt(4), 6));
      }
      rs.add(items);
    }
    return rs;
  }

  @ParameterizedTest
  @EnumSource(BalanceMode.class)
  void poisonItemFailsAloneAndTheRestIsUnchanged(BalanceMode policy) {
    Faults faults = new Faults();
    ActorRef<Supervisor.Command> sup = start(faults, 3, policy, Duration.ofSeconds(20));
    List<List<PixelInput>> rs = requests(new Random(1), 6, 5);
    mark(rs, 2, 3, Faults.POISON);
    List<RequestOutcome> outs = submitAll(sup, rs);
    for (int r = 0; r < rs.size(); r++) {
      RequestOutcome.Completed done = assertInstanceOf(RequestOutcome.Completed.class, outs.get(r));
      for (int i = 0; i < rs.get(r).size(); i++) {
        if (r == 2 && i == 3) {
          ItemResult.Failed f = assertInstanceOf(ItemResult.Failed.class, done.items().get(i));
          assertTrue(
              f.error().contains("failed on all 3 attempts") && f.error().contains("poison"),
              f.error());
        } else {
          Harness.assertSame(FakeTower.compute(rs.get(r).get(i), SPEC), done.items().get(i), i);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(BalanceMode.class)
  void workerDyingMidBatchIsRestartedAndItsItemsRedone(BalanceMode policy) {
    Faults faults = new Faults();
    ActorRef<Supervisor.Command> sup = start(faults, 2, policy, Duration.ofSeconds(20));
    List<List<PixelInput>> rs = requests(new Random(2), 5, 6);
    mark(rs, 1, 2, Faults.CRASH_ONCE);
    assertAllDirect(rs, submitAll(sup, rs));
    assertTrue(faults.opens(0) + faults.opens(1) >= 3, "the crashed worker reopened its tower");
  }

  @ParameterizedTest
  @EnumSource(BalanceMode.class)
  void hungWorkerTimesOutAndItsItemsAreRedispatched(BalanceMode policy) {
    Faults faults = new Faults();
    ActorRef<Supervisor.Command> sup = start(faults, 2, policy, Duration.ofMillis(300));
    List<List<PixelInput>> rs = requests(new Random(3), 4, 5);
    mark(rs, 0, 0, Faults.HANG_ONCE);
    assertAllDirect(rs, submitAll(sup, rs));
    SupervisorStats s = statsOf(sup);
    assertTrue(s.retries() >= 1, "the hung batch was retried");
    assertEquals(0, s.inFlightItems());
  }

  @ParameterizedTest
  @EnumSource(BalanceMode.class)
  void lateAnswerOfAGivenUpCallIsIgnored(BalanceMode policy) throws InterruptedException {
    Faults faults = new Faults();
    ActorRef<Supervisor.Command> sup = start(faults, 1, policy, Duration.ofMillis(200));
    List<List<PixelInput>> rs = requests(new Random(4), 3, 4);
    mark(rs, 0, 1, Faults.SLOW_ONCE);
    assertAllDirect(rs, submitAll(sup, rs));
    // The slow call finishes after its retry has already answered; nothing more may arrive.
    Thread.sleep(Faults.SLOW_MILLIS);
    assertEquals(0, statsOf(sup).inFlightItems());
  }
}
