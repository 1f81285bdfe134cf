package dev.vitrail.actors.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.random.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded randomized check: any completion order gives the input order. */
class ResultSlotsPropertiesTest {
  static LongStream seeds() {
    return Seeds.of(200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anyCompletionOrderGivesInputOrder(long seed) {
    int size = 1 + new Random(seed ^ 0x9E37_79B9L).nextInt(200);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    ResultSlots slots = new ResultSlots(size);
    for (int k = 0; k < size; k++) {
      assertFalse(slots.complete());
      int i = order.get(k);
      assertTrue(slots.fill(i, new ItemResult.Failed("item " + i)));
      assertFalse(slots.fill(i, new ItemResult.Failed("duplicate")), "a second answer is ignored");
    }
    assertTrue(slots.complete());
    List<ItemResult> out = slots.inOrder();
    for (int i = 0; i < size; i++) {
      assertEquals("item " + i, ((ItemResult.Failed) out.get(i)).error());
    }
  }
}
