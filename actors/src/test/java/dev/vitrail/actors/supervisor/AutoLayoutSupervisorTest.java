package dev.vitrail.actors.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.fake.FakeTower;
import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.actors.worker.CoreGate;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.actors.worker.WorkerSettings;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code layout = auto} through the supervisor and its workers: one request at a time runs at the
 * width measured faster, concurrent requests run single-threaded; no wide call ever overlaps
 * another call; every request gets exactly one answer with its items in order.
 */
class AutoLayoutSupervisorTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    KIT.shutdownTestKit();
  }

  /** Fake towers that check, inside each call, what the gate granted and what runs beside it. */
  private static final class Observed {
    final ThreadLocal<Integer> width = ThreadLocal.withInitial(() -> 1);
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger wideRunning = new AtomicInteger();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Integer> callWidths = new ConcurrentLinkedQueue<>();
    final CoreGate gate = new CoreGate(2, 2, n -> width.set(n));
    final long wideMs;
    final long narrowMs;

    /** Towers whose calls take {@code wideMs} when wide and {@code narrowMs} on one core. */
    Observed(long wideMs, long narrowMs) {
      this.wideMs = wideMs;
      this.narrowMs = narrowMs;
    }

    EncoderFactory factory() {
      return worker ->
          new FeatureEncoder() {
            @Override
            public String family() {
              return "fake";
            }

            @Override
            public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
              int w = width.get();
              callWidths.add(w);
              int others = running.getAndIncrement();
              if (w > 1) {
                wideRunning.incrementAndGet();
              }
              try {
                if ((w > 1 && others > 0) || (w == 1 && wideRunning.get() > 0)) {
                  violations.add("width " + w + " beside " + others + " call(s)");
                }
                Thread.sleep(w > 1 ? wideMs : narrowMs);
                List<FeatureOutput> out = new ArrayList<>();
                for (PixelInput in : batch) {
                  out.add(FakeTower.compute(in, spec));
                }
                return out;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              } finally {
                if (w > 1) {
                  wideRunning.decrementAndGet();
                }
                running.decrementAndGet();
              }
            }

            @Override
            public void close() {}
          };
    }

    ActorRef<Supervisor.Command> supervisor(BalanceMode policy) {
      WorkerSettings worker =
          new WorkerSettings(
              4,
              Duration.ZERO,
              Duration.ofSeconds(20),
              Duration.ofMillis(20),
              Duration.ofMillis(200),
              0,
              gate);
      return KIT.spawn(Supervisor.create(SupervisorSettings.of(2, policy, worker), factory()));
    }
  }

  @Test
  void oneRequestAtATimeRunsOnEveryCoreWhereThatMeasuresFaster() {
    // quiet machine: wide calls fast; each width is tried once, then wide stays
    assertEquals(List.of(2, 1, 2, 2, 2, 2), oneAtATime(new Observed(1, 200)));
  }

  @Test
  void oneRequestAtATimeStaysOnOneCoreWhereWideMeasuresSlower() {
    // oversubscribed machine: the wide call is the slow one; after trying both, one core stays
    assertEquals(List.of(2, 1, 1, 1, 1, 1), oneAtATime(new Observed(200, 1)));
  }

  private static List<Integer> oneAtATime(Observed o) {
    ActorRef<Supervisor.Command> sup = o.supervisor(BalanceMode.LPT);
    Random rnd = new Random(3);
    for (int i = 0; i < 6; i++) {
      List<PixelInput> one = List.of(Inputs.image(rnd, 4));
      Harness.assertDirect(
          one, FeatureSpec.defaults(), Harness.submit(KIT, sup, one, FeatureSpec.defaults()));
    }
    assertTrue(o.violations.isEmpty(), o.violations.toString());
    KIT.stop(sup);
    return List.copyOf(o.callWidths);
  }

  @Test
  void concurrentRequestsRunSingleThreadedAndNeverBesideAWideCall() {
    for (BalanceMode policy : BalanceMode.values()) {
      Observed o = new Observed(5, 5);
      ActorRef<Supervisor.Command> sup = o.supervisor(policy);
      Random rnd = new Random(11);
      List<List<PixelInput>> requests = new ArrayList<>();
      List<TestProbe<RequestOutcome>> probes = new ArrayList<>();
      for (int r = 0; r < 12; r++) {
        List<PixelInput> inputs = new ArrayList<>();
        for (int i = 0; i < 1 + rnd.nextInt(5); i++) {
          inputs.add(Inputs.image(rnd, 4));
        }
        requests.add(inputs);
        TestProbe<RequestOutcome> probe = KIT.createTestProbe();
        probes.add(probe);
        sup.tell(new Supervisor.Submit(inputs, FeatureSpec.defaults(), 0, probe.getRef()));
      }
      for (int r = 0; r < requests.size(); r++) {
        Harness.assertDirect(
            requests.get(r),
            FeatureSpec.defaults(),
            probes.get(r).receiveMessage(Duration.ofSeconds(30)));
      }
      for (TestProbe<RequestOutcome> p : probes) {
        p.expectNoMessage(Duration.ofMillis(10));
      }
      assertTrue(o.violations.isEmpty(), policy + ": " + o.violations);
      CoreGate.Counts counts = o.gate.counts();
      assertTrue(counts.narrow() > 0, policy + ": " + counts);
      assertEquals(o.callWidths.size(), counts.wide() + counts.narrow());
      KIT.stop(sup);
    }
  }
}
