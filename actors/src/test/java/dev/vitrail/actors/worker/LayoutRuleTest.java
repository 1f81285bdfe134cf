package dev.vitrail.actors.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The auto layout's rule: all cores for a worker alone with work, one core otherwise. */
class LayoutRuleTest {
  @Test
  void aWorkerAloneWithWorkUsesEveryCore() {
    assertEquals(2, LayoutRule.width(2, 0, new int[] {1, 0}));
    assertEquals(4, LayoutRule.width(4, 2, new int[] {0, 0, 8, 0}));
    // its own backlog does not matter: the items cannot move to the idle workers
    assertEquals(4, LayoutRule.width(4, 0, new int[] {30, 0, 0, 0}));
  }

  @Test
  void anyOtherWorkerHoldingWorkMakesTheCallSingleThreaded() {
    assertEquals(1, LayoutRule.width(2, 0, new int[] {1, 1}));
    assertEquals(1, LayoutRule.width(4, 3, new int[] {0, 0, 1, 5}));
    assertEquals(1, LayoutRule.width(4, 0, new int[] {0, 0, 0, 1}));
  }

  @Test
  void oneCoreOrOneWorkerNeverWidensBeyondTheCores() {
    assertEquals(1, LayoutRule.width(1, 0, new int[] {3, 0}));
    assertEquals(8, LayoutRule.width(8, 0, new int[] {3}));
  }
}
