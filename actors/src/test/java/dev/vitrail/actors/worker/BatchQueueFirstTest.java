package dev.vitrail.actors.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Items that already waited elsewhere (hedged copies, items of a lost worker) run first. */
class BatchQueueFirstTest {
  private static EncoderWorker.Encode item(long key, boolean first) {
    PixelInput in = new PixelInput(new float[3 * 4 * 4], new int[] {3, 4, 4}, null);
    return new EncoderWorker.Encode(key, in, FeatureSpec.defaults(), false, null, first);
  }

  private static List<Long> keys(List<EncoderWorker.Encode> batch) {
    return batch.stream().map(EncoderWorker.Encode::key).toList();
  }

  @Test
  void firstItemsRunAheadOfTheQueueInTheirOwnOrder() {
    BatchQueue q = new BatchQueue(4);
    q.addAll(List.of(item(0, false), item(1, false), item(2, false), item(3, false)));
    q.addAll(List.of(item(4, false), item(10, true), item(11, true)));
    q.addAll(List.of(item(12, true)));
    assertEquals(8, q.size());
    assertEquals(List.of(10L, 11L, 12L, 0L), keys(q.take()), "copies first, then the oldest");
    assertEquals(List.of(1L, 2L, 3L, 4L), keys(q.take()));
    assertTrue(q.isEmpty());
  }

  @Test
  void cancelAndDrainSeeBothKinds() {
    BatchQueue q = new BatchQueue(4);
    q.addAll(List.of(item(0, false), item(1, true), item(2, false), item(3, true)));
    assertEquals(List.of(1L, 0L), keys(q.remove(Set.of(0L, 1L))));
    assertEquals(2, q.size());
    assertEquals(List.of(3L, 2L), keys(q.drain()));
    assertTrue(q.isEmpty());
  }
}
