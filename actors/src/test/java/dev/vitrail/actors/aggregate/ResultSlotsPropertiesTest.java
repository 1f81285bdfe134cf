package dev.vitrail.actors.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ResultSlotsPropertiesTest {
  @Property
  void anyCompletionOrderGivesInputOrder(
      @ForAll @IntRange(min = 1, max = 200) int size, @ForAll long seed) {
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
