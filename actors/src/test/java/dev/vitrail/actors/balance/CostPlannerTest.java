package dev.vitrail.actors.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.random.Seeds;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CostPlannerTest {
  static LongStream seeds() {
    return Seeds.of(200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void neverWorseThanGreedyBoundAndEveryItemPlaced(long seed) {
    Random r = new Random(seed);
    double[] costs = r.doubles(1 + r.nextInt(60), 0, 1e6).toArray();
    int workers = 1 + r.nextInt(8);
    double[] speeds = new double[workers];
    Arrays.fill(speeds, 1.0);
    int[] owner = CostPlanner.plan(costs, speeds);
    double[] load = new double[workers];
    for (int i = 0; i < costs.length; i++) {
      assertTrue(owner[i] >= 0 && owner[i] < workers);
      load[owner[i]] += costs[i];
    }
    double total = Arrays.stream(costs).sum();
    double biggest = Arrays.stream(costs).max().orElseThrow();
    double makespan = Arrays.stream(load).max().orElseThrow();
    assertTrue(makespan <= total / workers + biggest + 1e-6 * (1 + total));
  }

  @Test
  void slowWorkerGetsLessWork() {
    double[] costs = new double[12];
    Arrays.fill(costs, 1.0);
    int[] owner = CostPlanner.plan(costs, new double[] {1.0, 0.5});
    long onSlow = Arrays.stream(owner).filter(w -> w == 1).count();
    assertEquals(4, onSlow);
  }

  @Test
  void localSearchFixesGreedyMistake() {
    // Greedy LPT on 2 workers: {5,3} {4,3,3}? -> loads 8 / 10 ... local search must reach 9 / 9.
    double[] costs = {5, 4, 3, 3, 3};
    int[] owner = CostPlanner.plan(costs, new double[] {1, 1});
    double[] load = new double[2];
    for (int i = 0; i < costs.length; i++) {
      load[owner[i]] += costs[i];
    }
    assertEquals(9.0, Math.max(load[0], load[1]));
  }

  @Test
  void quadraticCostGrowsFasterThanPatches() {
    CostModel full = CostModel.fullAttention(1, 0.01);
    CostModel windowed = CostModel.windowed(1, 0.01, 64, 4, 32);
    assertTrue(full.cost(200) > 2 * full.cost(100));
    assertTrue(windowed.cost(4096) < full.cost(4096));
    CostModel fitted =
        full.fit(
            new long[] {100, 400, 1600},
            new double[] {full.cost(100), full.cost(400), full.cost(1600)});
    assertEquals(1.0, fitted.perPatch(), 1e-6);
    assertEquals(0.01, fitted.perPatchSquared(), 1e-9);
  }

  @Test
  void badInputsAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> CostPlanner.plan(new double[] {1}, new double[0]));
    assertThrows(
        IllegalArgumentException.class, () -> CostPlanner.plan(new double[] {1}, new double[] {0}));
    assertThrows(IllegalArgumentException.class, () -> BalanceMode.parse("random"));
    assertEquals(BalanceMode.PULL, BalanceMode.parse("pull"));
  }
}
