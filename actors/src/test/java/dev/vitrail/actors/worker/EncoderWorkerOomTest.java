package dev.vitrail.actors.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.fake.FakeTower;
import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker whose (fake) device runs out of memory: the batch is split and retried, the item that
 * cannot fit alone fails alone with a clear error, the others get their exact features, and the
 * worker stays up (no restart, same tower) for the next request.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class EncoderWorkerOomTest {
  @JUnit5TestKit ActorTestKit kit = new JUnit5TestKitBuilder().build();

  private static final FeatureSpec SPEC = FeatureSpec.defaults();

  @Test
  void outOfMemorySplitsTheBatchAndFailsOnlyTheItemThatCannotFit() {
    OomTower tower = new OomTower(100); // a device holding 100 patch rows
    AtomicInteger opens = new AtomicInteger();
    WorkerSettings settings =
        new WorkerSettings(
            16,
            Duration.ofMillis(50),
            Duration.ofSeconds(20),
            Duration.ofMillis(20),
            Duration.ofMillis(200));
    ActorRef<EncoderWorker.Command> worker =
        kit.spawn(
            EncoderWorker.create(
                0,
                w -> {
                  opens.incrementAndGet();
                  return tower;
                },
                settings));
    TestProbe<EncoderWorker.Reply> probe = kit.createTestProbe();
    Random rnd = new Random(11);
    List<PixelInput> inputs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      inputs.add(Inputs.patches(rnd, 4, 6, 3)); // 24 rows each: 7 together need 168
    }
    inputs.add(3, Inputs.patches(rnd, 12, 12, 3)); // 144 rows: never fits
    List<EncoderWorker.Encode> items = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      items.add(new EncoderWorker.Encode(i, inputs.get(i), SPEC, false, probe.getRef()));
    }
    worker.tell(new EncoderWorker.EncodeAll(items));

    Map<Long, EncoderWorker.Reply> replies = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      EncoderWorker.Reply r = probe.receiveMessage(Duration.ofSeconds(10));
      long key =
          r instanceof EncoderWorker.ItemEncoded e
              ? e.key()
              : ((EncoderWorker.ItemsFailed) r).keys().get(0);
      replies.put(key, r);
    }
    probe.expectNoMessage(Duration.ofMillis(50));
    for (int i = 0; i < inputs.size(); i++) {
      EncoderWorker.Reply r = replies.get((long) i);
      if (i == 3) {
        EncoderWorker.ItemsFailed f = (EncoderWorker.ItemsFailed) r;
        assertEquals(List.of(3L), f.keys());
        assertTrue(
            f.cause().contains("out of device memory encoding this item alone (144 patches)")
                && f.cause().contains("CUDA out of memory"),
            f.cause());
      } else {
        EncoderWorker.ItemEncoded e = (EncoderWorker.ItemEncoded) r;
        assertArrayEquals(FakeTower.compute(inputs.get(i), SPEC).values(), e.output().values());
      }
    }
    assertTrue(tower.releases.get() >= 2, "cached memory released before retries");
    assertTrue(tower.callSizes.get(0) == 8, "the whole batch was tried first: " + tower.callSizes);

    // The worker is still up, with the same tower: a small item is encoded at once.
    PixelInput small = Inputs.patches(rnd, 2, 2, 3);
    worker.tell(new EncoderWorker.Encode(99, small, SPEC, false, probe.getRef()));
    EncoderWorker.ItemEncoded after =
        (EncoderWorker.ItemEncoded) probe.receiveMessage(Duration.ofSeconds(10));
    assertEquals(99, after.key());
    assertEquals(1, opens.get(), "no restart");
    assertEquals(0, tower.closes.get());
  }
}
