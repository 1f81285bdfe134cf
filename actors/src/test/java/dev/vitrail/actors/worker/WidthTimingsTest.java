package dev.vitrail.actors.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WidthTimingsTest {
  /** Leases lone calls until one is a try; how many calls that took (the try included). */
  private static int callsUntilTry(WidthTimings t) {
    for (int n = 1; n <= 1000; n++) {
      boolean explore = t.explore(true);
      t.leased(true, explore);
      if (explore) {
        return n;
      }
      t.measured(2, false, 10);
    }
    throw new AssertionError("never tried the slower width");
  }

  @Test
  void averagesEachWidthAndATryReplacesItsStaleAverage() {
    WidthTimings t = new WidthTimings();
    assertTrue(Double.isNaN(t.wide()) && Double.isNaN(t.narrow()));
    t.measured(2, false, 10);
    t.measured(2, false, 20);
    assertEquals(13, t.wide(), 1e-9); // 0.3 x 20 + 0.7 x 10
    t.measured(1, false, 50);
    t.measured(1, true, 40);
    assertEquals(40, t.narrow(), 1e-9);
  }

  @Test
  void triesTheSlowerWidthLessOftenWhileItLosesAndSoonAgainWhenItWins() {
    WidthTimings t = new WidthTimings();
    assertFalse(t.explore(false), "never a try beside other workers' calls");
    assertEquals(8, callsUntilTry(t));
    t.measured(1, true, 30); // one core lost: wait twice as long
    assertEquals(16, callsUntilTry(t));
    t.measured(1, true, 30);
    assertEquals(32, callsUntilTry(t));
    t.measured(1, true, 5); // one core won: the faster width changed, look again soon
    assertEquals(8, callsUntilTry(t));
  }
}
