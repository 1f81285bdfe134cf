package dev.vitrail.actors.supervisor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.aggregate.Aggregator;
import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.worker.EncoderWorker;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Load-aware placement, per-remote-worker credit and frame-sized deliveries. */
class PlacementTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private final TestProbe<Aggregator.Command> agg = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Reply> replies = KIT.createTestProbe();
  private long keys;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private Tracked item(int side) {
    PixelInput in = new PixelInput(new float[3 * side * side], new int[] {3, side, side}, null);
    return new Tracked(keys++, in, FeatureSpec.defaults(), agg.getRef(), 0, side * side, null);
  }

  private static int drain(TestProbe<EncoderWorker.Command> p, int messages) {
    int n = 0;
    for (int i = 0; i < messages; i++) {
      EncoderWorker.Command c = p.receiveMessage(Duration.ofSeconds(5));
      n += c instanceof EncoderWorker.EncodeAll all ? all.items().size() : 1;
    }
    p.expectNoMessage(Duration.ofMillis(50));
    return n;
  }

  @Test
  void lptSpreadsSingleItemRequestsOverOutstandingWork() {
    List<TestProbe<EncoderWorker.Command>> w =
        List.of(KIT.createTestProbe(), KIT.createTestProbe(), KIT.createTestProbe());
    Placement p =
        new Placement(
            Harness.settings(3, BalanceMode.LPT),
            RemoteSettings.of(1),
            w.stream().map(TestProbe::getRef).toList());
    for (int i = 0; i < 6; i++) {
      p.placeBatch(List.of(item(8)), replies.getRef());
    }
    for (TestProbe<EncoderWorker.Command> probe : w) {
      assertEquals(2, drain(probe, 2), "two single-image requests on each worker");
    }
  }

  @Test
  void sequentialSingleImageRequestsRotateOverIdleWorkers() {
    List<TestProbe<EncoderWorker.Command>> w =
        List.of(KIT.createTestProbe(), KIT.createTestProbe(), KIT.createTestProbe());
    for (BalanceMode policy : List.of(BalanceMode.LPT, BalanceMode.COST)) {
      Placement p =
          new Placement(
              Harness.settings(3, policy),
              RemoteSettings.of(1),
              w.stream().map(TestProbe::getRef).toList());
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Tracked t = item(8);
        p.placeBatch(List.of(t), replies.getRef());
        order.add(t.worker);
        p.free(t, t.worker); // answered before the next request: every worker idle again
      }
      assertEquals(List.of(0, 1, 2, 0, 1, 2), order, policy.name());
      w.forEach(probe -> drain(probe, 2));
    }
  }

  @Test
  void oneRequestKeepsVllmTieBreakingOverTheWorkersInUseOrder() {
    List<TestProbe<EncoderWorker.Command>> w =
        List.of(KIT.createTestProbe(), KIT.createTestProbe(), KIT.createTestProbe());
    Placement p =
        new Placement(
            Harness.settings(3, BalanceMode.LPT),
            RemoteSettings.of(1),
            w.stream().map(TestProbe::getRef).toList());
    Tracked warm = item(8);
    p.placeBatch(List.of(warm), replies.getRef()); // worker 0 used last: order is 1, 2, 0
    p.free(warm, 0);
    drain(w.get(0), 1);
    // vLLM's assignment of 64, 64, 16, 16, 16, 4 patches over 3 idle workers, ties to the lowest
    // index: [64] [64] [16 16 16 4]; here the same groups over the workers in use order 1, 2, 0.
    List<Tracked> batch = new ArrayList<>();
    for (int side : new int[] {8, 8, 4, 4, 4, 2}) {
      batch.add(item(side));
    }
    p.placeBatch(batch, replies.getRef());
    int[] want = {1, 2, 0, 0, 0, 0};
    int[] got = batch.stream().mapToInt(t -> t.worker).toArray();
    assertArrayEquals(want, got);
  }

  @Test
  void aRemoteWorkerGetsNoMoreThanItsCreditAndFrameSizedMessages() {
    TestProbe<EncoderWorker.Command> local = KIT.createTestProbe();
    TestProbe<EncoderWorker.Command> remote = KIT.createTestProbe();
    long itemBytes = 4L * 3 * 8 * 8 + 64;
    // Local worker nearly idle (speed 0.001): the remote one is always the best place.
    SupervisorSettings settings =
        new SupervisorSettings(
            1,
            new double[] {0.001},
            BalanceMode.COST,
            Harness.settings(1, BalanceMode.COST).costModel(),
            100,
            3,
            0,
            Duration.ofMinutes(1),
            Harness.worker(Duration.ofSeconds(5)));
    Placement p =
        new Placement(
            settings,
            new RemoteSettings(1, "", 4, 1 << 20, 2 * itemBytes),
            List.of(local.getRef()));
    int r = p.add(remote.getRef());
    List<Tracked> batch = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      batch.add(item(8));
    }
    p.placeBatch(batch, replies.getRef());
    // Credit 4 items, at most 2 per message: two messages of two.
    for (int i = 0; i < 2; i++) {
      var all = assertInstanceOf(EncoderWorker.EncodeAll.class, remote.receiveMessage());
      assertEquals(2, all.items().size());
    }
    remote.expectNoMessage(Duration.ofMillis(50));
    local.expectNoMessage(Duration.ofMillis(1));
    assertEquals(4, p.loads().items(r));
    // One answer frees one credit: exactly one more item goes out.
    Tracked first = batch.stream().filter(t -> t.worker == r).findFirst().orElseThrow();
    p.free(first, r);
    first.worker = -1;
    p.pull(replies.getRef());
    assertInstanceOf(EncoderWorker.Encode.class, remote.receiveMessage());
    assertEquals(4, p.loads().items(r));
    // An item bigger than one message never goes to the remote worker.
    p.placeBatch(List.of(item(64)), replies.getRef());
    assertInstanceOf(EncoderWorker.Encode.class, local.receiveMessage());
    assertTrue(p.loads().items(0) == 1);
  }
}
