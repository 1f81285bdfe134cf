package dev.vitrail.actors.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.aggregate.Aggregator;
import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.cache.EncoderCache;
import dev.vitrail.actors.worker.EncoderWorker;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hedging an item held by a silent remote worker (first answer wins, the late one is dropped,
 * credit held until it comes) and cancelling a request's items queued on a worker.
 */
class HedgingTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration AFTER = Duration.ofMillis(300);
  private final TestProbe<Aggregator.Command> agg = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Reply> replies = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Command> local = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Command> r1 = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Command> r2 = KIT.createTestProbe();
  private Placement placement;
  private ItemLedger ledger;
  private Hedger hedger;
  private long keys;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** One nearly idle local worker (speed 0.001: never the best place) and two remote ones. */
  private void start() {
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
    RemoteSettings remote = new RemoteSettings(1, "", 8, 1 << 20, 1 << 20, AFTER);
    placement = new Placement(settings, remote, List.of(local.getRef()));
    placement.add(r1.getRef());
    placement.add(r2.getRef());
    WorkerHealth health = new WorkerHealth(1);
    ledger = new ItemLedger(settings, placement, new EncoderCache(0), replies.getRef(), health);
    hedger = new Hedger(AFTER, placement, health);
  }

  private Tracked item() {
    PixelInput in = new PixelInput(new float[3 * 8 * 8], new int[] {3, 8, 8}, null);
    return new Tracked(keys++, in, FeatureSpec.defaults(), agg.getRef(), (int) keys, 64, null);
  }

  private static EncoderWorker.Encode one(TestProbe<EncoderWorker.Command> p) {
    return assertInstanceOf(EncoderWorker.Encode.class, p.receiveMessage(Duration.ofSeconds(5)));
  }

  private static FeatureOutput out() {
    return new FeatureOutput(new float[] {1}, new int[] {1});
  }

  @Test
  void aSilentWorkersItemIsCopiedOnceAndAnsweredOnce() {
    start();
    Tracked t = item();
    ledger.admit(List.of(t));
    EncoderWorker.Encode sent = one(r1);
    // The moment r1 went busy, not the clock after the probe's receive: a stall of the test
    // thread past hedge-after would make r1 silent already.
    long now = placement.loads().busySince(1);
    hedger.check(now, ledger.items(), replies.getRef()); // not silent long enough yet
    r2.expectNoMessage(Duration.ofMillis(20));
    now += AFTER.toNanos() * 2;
    hedger.check(now, ledger.items(), replies.getRef());
    assertEquals(sent.key(), one(r2).key(), "a copy on the other remote worker");
    // The silent worker takes no new items.
    Tracked next = item();
    ledger.admit(List.of(next));
    assertEquals(next.key, one(r2).key());
    r1.expectNoMessage(Duration.ofMillis(20));
    hedger.check(now + AFTER.toNanos() * 4, ledger.items(), replies.getRef());
    r2.expectNoMessage(Duration.ofMillis(20)); // one copy per item: t is not copied again
    assertEquals(2, t.hedge);

    ledger.onReply(new EncoderWorker.ItemEncoded(2, t.key, out()));
    assertInstanceOf(Aggregator.Collect.class, agg.receiveMessage());
    assertEquals(1, placement.loads().items(1), "the silent worker's credit is held");
    // Its late answer is dropped, and frees its credit.
    ledger.onReply(new EncoderWorker.ItemEncoded(1, t.key, out()));
    agg.expectNoMessage(Duration.ofMillis(50));
    assertEquals(0, placement.loads().items(1));
    assertTrue(!placement.loads().suspected(1), "it answered: no longer silent");
    assertEquals(1, ledger.size(), "only the second item is left");
  }

  @Test
  void theFirstCopyWinningDropsTheHedgeAndALostWorkerFreesIt() {
    start();
    Tracked t = item();
    ledger.admit(List.of(t));
    one(r1);
    hedger.check(System.nanoTime() + AFTER.toNanos() * 2, ledger.items(), replies.getRef());
    one(r2);
    ledger.onReply(new EncoderWorker.ItemEncoded(1, t.key, out()));
    assertInstanceOf(Aggregator.Collect.class, agg.receiveMessage());
    assertEquals(1, placement.loads().items(2));
    ledger.onWorkerLost(2);
    assertEquals(0, placement.loads().items(2));
    ledger.onReply(new EncoderWorker.ItemEncoded(2, t.key, out()));
    agg.expectNoMessage(Duration.ofMillis(50));
    assertEquals(0, ledger.size());
  }

  @Test
  void cancellingARequestDropsItsQueuedItemsOnTheWorkerAndReturnsCredit() {
    start();
    placement.retire(2); // both items on worker 1
    Tracked a = item();
    Tracked b = item();
    ledger.admit(List.of(a, b));
    var all = assertInstanceOf(EncoderWorker.EncodeAll.class, r1.receiveMessage());
    assertEquals(2, all.items().size());
    ledger.cancel(agg.getRef());
    var cancel = assertInstanceOf(EncoderWorker.Cancel.class, r1.receiveMessage());
    assertEquals(List.of(a.key, b.key), cancel.keys().stream().sorted().toList());
    // The worker had started a; b was still queued and comes back unencoded.
    ledger.onReply(new EncoderWorker.ItemsReturned(1, List.of(b.key)));
    assertEquals(1, placement.loads().items(1));
    ledger.onReply(new EncoderWorker.ItemEncoded(1, a.key, out()));
    agg.expectNoMessage(Duration.ofMillis(50));
    assertEquals(0, placement.loads().items(1));
    assertEquals(0, ledger.size());
    assertEquals(2, ledger.cancelled);
  }
}
