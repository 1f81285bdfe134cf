package dev.vitrail.actors.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The auto layout's rule: one core under load; a lone worker takes the width measured faster. */
class LayoutRuleTest {
  private static final double NONE = Double.NaN;

  @Test
  void anyOtherWorkerHoldingWorkMakesTheCallSingleThreaded() {
    assertEquals(1, LayoutRule.width(2, 0, new int[] {1, 1}, 1, 9, false));
    assertEquals(1, LayoutRule.width(4, 3, new int[] {0, 0, 1, 5}, NONE, NONE, true));
    assertEquals(1, LayoutRule.width(4, 0, new int[] {0, 0, 0, 1}, 1, 9, false));
    assertFalse(LayoutRule.alone(0, new int[] {0, 2}));
    assertTrue(LayoutRule.alone(1, new int[] {0, 2}));
  }

  @Test
  void aLoneWorkerTriesEachWidthOnceThenTakesTheFasterOne() {
    // its own backlog does not matter: the items cannot move to the idle workers
    assertEquals(4, LayoutRule.width(4, 0, new int[] {30, 0, 0, 0}, NONE, NONE, false));
    assertEquals(1, LayoutRule.width(4, 0, new int[] {30, 0, 0, 0}, 100, NONE, false));
    assertEquals(2, LayoutRule.width(2, 1, new int[] {0, 1}, 400, 650, false));
    assertEquals(1, LayoutRule.width(2, 1, new int[] {0, 1}, 7000, 1000, false));
    assertEquals(2, LayoutRule.width(2, 1, new int[] {0, 1}, 500, 500, false), "ties go wide");
  }

  @Test
  void exploringTriesTheSlowerWidth() {
    assertEquals(1, LayoutRule.width(2, 0, new int[] {1, 0}, 400, 650, true));
    assertEquals(2, LayoutRule.width(2, 0, new int[] {1, 0}, 7000, 1000, true));
  }

  @Test
  void oneCoreNeverWidensAndOneWorkerIsAlwaysAlone() {
    assertEquals(1, LayoutRule.width(1, 0, new int[] {3, 0}, NONE, NONE, false));
    assertEquals(8, LayoutRule.width(8, 0, new int[] {3}, NONE, NONE, false));
  }
}
