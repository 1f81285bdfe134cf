package dev.vitrail.actors.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.fake.Inputs;
import dev.vitrail.actors.random.Seeds;
import dev.vitrail.encoders.api.FeatureSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Token-budget batching: seeded random queues, invariants checked on every batch. */
class BatchQueueBudgetTest {
  private static EncoderWorker.Encode item(long key, int h, int w, FeatureSpec spec, Random rnd) {
    return new EncoderWorker.Encode(key, Inputs.patches(rnd, h, w, 2), spec, false, null);
  }

  @Test
  void batchesRespectLimitAndBudgetAndTakeEveryItemOnce() {
    FeatureSpec other = new FeatureSpec(List.of(-2), null, true, false);
    Seeds.of(200)
        .forEach(
            seed -> {
              Random rnd = new Random(seed);
              int limit = 1 + rnd.nextInt(8);
              long budget = 16 + rnd.nextInt(200);
              BatchQueue q = new BatchQueue(limit, budget);
              List<EncoderWorker.Encode> all = new ArrayList<>();
              for (int i = 0, n = rnd.nextInt(40); i < n; i++) {
                FeatureSpec spec = rnd.nextInt(5) == 0 ? other : FeatureSpec.defaults();
                all.add(item(i, 1 + rnd.nextInt(12), 1 + rnd.nextInt(12), spec, rnd));
              }
              q.addAll(all);
              Set<Long> seen = new HashSet<>();
              List<EncoderWorker.Encode> remaining = new ArrayList<>(all);
              while (!q.isEmpty()) {
                List<EncoderWorker.Encode> batch = q.take();
                String at = "seed " + seed + " batch " + batch;
                assertSame(remaining.get(0), batch.get(0), "the oldest item leads: " + at);
                assertTrue(batch.size() <= limit, at);
                long patches = batch.stream().mapToLong(e -> e.input().patchRows()).sum();
                assertTrue(batch.size() == 1 || patches <= budget, "over budget: " + at);
                for (EncoderWorker.Encode e : batch) {
                  assertTrue(seen.add(e.key()), "taken twice: " + at);
                  assertEquals(batch.get(0).spec(), e.spec(), at);
                }
                remaining.removeAll(batch);
                // First fit: no remaining item with the head's spec could still have joined.
                if (batch.size() < limit) {
                  for (EncoderWorker.Encode e : remaining) {
                    if (e.spec().equals(batch.get(0).spec())) {
                      assertTrue(patches + e.input().patchRows() > budget, "left out: " + at);
                    }
                  }
                }
              }
              assertEquals(all.size(), seen.size(), "seed " + seed);
            });
  }

  @Test
  void anItemLargerThanTheBudgetRunsAlone() {
    Random rnd = new Random(1);
    BatchQueue q = new BatchQueue(8, 50);
    q.addAll(
        List.of(
            item(1, 10, 10, FeatureSpec.defaults(), rnd),
            item(2, 2, 2, FeatureSpec.defaults(), rnd)));
    assertTrue(q.full(), "100 queued patches fill a budget of 50");
    assertEquals(1, q.take().size());
    assertFalse(q.full());
    assertEquals(1, q.take().size());
    assertTrue(q.isEmpty());
  }

  @Test
  void theBudgetFillsAcrossDifferentSizes() {
    Random rnd = new Random(2);
    BatchQueue q = new BatchQueue(100, 64);
    // 36 + 36 does not fit; 36 + 16 + 9 does (first fit skips the second 36)
    q.addAll(
        List.of(
            item(1, 6, 6, FeatureSpec.defaults(), rnd),
            item(2, 6, 6, FeatureSpec.defaults(), rnd),
            item(3, 4, 4, FeatureSpec.defaults(), rnd),
            item(4, 3, 3, FeatureSpec.defaults(), rnd)));
    assertEquals(List.of(1L, 3L, 4L), q.take().stream().map(EncoderWorker.Encode::key).toList());
    assertEquals(List.of(2L), q.take().stream().map(EncoderWorker.Encode::key).toList());
  }

  @Test
  void withoutABudgetOnlyTheLimitCounts() {
    Random rnd = new Random(3);
    BatchQueue q = new BatchQueue(3, 0);
    for (int i = 0; i < 5; i++) {
      q.addAll(List.of(item(i, 30, 30, FeatureSpec.defaults(), rnd)));
    }
    assertTrue(q.full());
    assertEquals(3, q.take().size());
    assertFalse(q.full());
    assertEquals(2, q.take().size());
  }
}
