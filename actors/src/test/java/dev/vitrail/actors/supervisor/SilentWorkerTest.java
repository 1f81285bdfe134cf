package dev.vitrail.actors.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The fault bench's stall (a remote worker killed under a full stream, its 16 last items waiting
 * for the failure detector): the silent worker's deep queue made its send-to-answer latency long,
 * so a latency-based bound suspected it about as late as the failure detector; and the surviving
 * worker's credit, freed by each answer, went to new requests before the hedger's next tick.
 */
class SilentWorkerTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final long MS = 1_000_000L;
  private static final Duration AFTER = Duration.ofMillis(300);
  private static final int CREDIT = 8;
  private final TestProbe<Aggregator.Command> agg = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Reply> replies = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Command> local = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Command> r1 = KIT.createTestProbe();
  private final TestProbe<EncoderWorker.Command> r2 = KIT.createTestProbe();
  private long keys;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private Tracked item() {
    PixelInput in = new PixelInput(new float[3 * 8 * 8], new int[] {3, 8, 8}, null);
    return new Tracked(keys++, in, FeatureSpec.defaults(), agg.getRef(), (int) keys, 64, null);
  }

  private static List<Long> keysOf(EncoderWorker.Command c) {
    if (c instanceof EncoderWorker.Encode e) {
      return List.of(e.key());
    }
    return assertInstanceOf(EncoderWorker.EncodeAll.class, c).items().stream()
        .map(EncoderWorker.Encode::key)
        .toList();
  }

  private static FeatureOutput out() {
    return new FeatureOutput(new float[] {1}, new int[] {1});
  }

  @Test
  void theAnswerGapIsOneTowerCallNotTheQueueLatencyAndForgetsALongPause() {
    WorkerHealth h = new WorkerHealth(0);
    long t = 1_000 * MS;
    // Busy since t; the first answer only after 5 s (start-up); then a deep queue: each item waits
    // ~1 s, and calls of 8 answer every 160 ms.
    h.heard(0, t + 5_000 * MS, t);
    assertEquals(5_000, h.gapMillis(0), 0.5);
    long now = t + 5_000 * MS;
    for (int call = 1; call <= 10; call++) {
      now += 160 * MS;
      for (int i = 0; i < 8; i++) {
        h.heard(0, now + i * 10_000, t); // one burst: 8 answers 10 us apart
        h.encoded(0, now - 1_000 * MS, now);
      }
      now += 7 * 10_000;
    }
    assertEquals(160, h.gapMillis(0), 0.5, "one tower call, not the 1 s queue latency");
    assertEquals(1_000, h.latencyMillis(0), 0.5);
  }

  @Test
  void everyItemOfASilentWorkerIsCopiedBeforeAnyNewItemTakesTheCredit() {
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
    RemoteSettings remote = new RemoteSettings(1, "", CREDIT, 1 << 20, 1 << 20, AFTER);
    Placement placement = new Placement(settings, remote, List.of(local.getRef()));
    placement.add(r1.getRef());
    placement.add(r2.getRef());
    WorkerHealth health = new WorkerHealth(1);
    // Both remote workers have a deep queue (1.5 s from send to answer) and answer a call every
    // 100 ms (r1) and 400 ms (r2): a latency rule (3 x latency) would wait 4.5 s to suspect either.
    health.heard(1, 100 * MS, 0);
    health.heard(2, 400 * MS, 0);
    for (int w = 1; w <= 2; w++) {
      health.encoded(w, 0, 1_500 * MS);
    }
    ItemLedger ledger =
        new ItemLedger(settings, placement, new EncoderCache(0), replies.getRef(), health);
    Hedger hedger = new Hedger(AFTER, placement, health);
    List<Tracked> first = new ArrayList<>();
    for (int i = 0; i < 2 * CREDIT; i++) {
      first.add(item());
    }
    ledger.admit(first);
    List<Long> onR1 = keysOf(r1.receiveMessage(Duration.ofSeconds(5)));
    List<Long> onR2 = keysOf(r2.receiveMessage(Duration.ofSeconds(5)));
    assertEquals(CREDIT, onR1.size(), "both remote workers full");
    assertEquals(CREDIT, onR2.size());

    // r1 goes silent; 400 ms after it went busy it is past max(hedge-after, 2 x its 100 ms answer
    // gap), r2 (busy since the same admit) not (2 x 400 ms). From busySince, not the clock: a
    // stall of the test thread past 400 ms would make r2 silent too.
    long now = placement.loads().busySince(1) + 400 * MS;
    hedger.check(now, ledger.items(), replies.getRef());
    assertTrue(placement.loads().suspected(1));
    assertFalse(placement.loads().suspected(2));
    r2.expectNoMessage(Duration.ofMillis(20)); // r2 has no credit yet
    Tracked fresh = item();
    ledger.admit(List.of(fresh)); // a new request: waits, r2 is full and r1 suspected
    r1.expectNoMessage(Duration.ofMillis(20));

    // Each answer from r2 frees one credit, and it goes to r1's oldest item not yet copied, even
    // between two hedger ticks; the new request comes after all of them.
    Set<Long> copied = new HashSet<>();
    for (int i = 0; i < CREDIT; i++) {
      ledger.onReply(new EncoderWorker.ItemEncoded(2, onR2.get(i), out()));
      List<Long> sent = keysOf(r2.receiveMessage(Duration.ofSeconds(5)));
      assertEquals(List.of(onR1.get(i)), sent, "answer " + i + " frees credit for a copy");
      copied.addAll(sent);
    }
    assertEquals(new HashSet<>(onR1), copied);
    assertEquals(CREDIT, hedger.hedged());
    ledger.onReply(new EncoderWorker.ItemEncoded(2, onR1.get(0), out()));
    assertEquals(List.of(fresh.key), keysOf(r2.receiveMessage(Duration.ofSeconds(5))));

    // Exactly once: each of the 17 items answered once; the dead worker's copies are orphans that
    // keep its credit until it is lost, and nothing is re-dispatched then.
    for (int i = 1; i < CREDIT; i++) {
      ledger.onReply(new EncoderWorker.ItemEncoded(2, onR1.get(i), out()));
    }
    ledger.onReply(new EncoderWorker.ItemEncoded(2, fresh.key, out()));
    for (int i = 0; i < 2 * CREDIT + 1; i++) {
      assertInstanceOf(Aggregator.Collect.class, agg.receiveMessage(Duration.ofSeconds(5)));
    }
    agg.expectNoMessage(Duration.ofMillis(50));
    assertEquals(CREDIT, placement.loads().items(1));
    ledger.onWorkerLost(1);
    assertEquals(0, placement.loads().items(1));
    assertEquals(0, ledger.redispatched);
    assertEquals(0, ledger.size());
  }
}
