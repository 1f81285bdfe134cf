package dev.vitrail.actors.balance;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The {@code cost} policy: largest-cost-first greedy on finish times (load ÷ speed), then a local
 * search that moves or swaps items off the worker that finishes last while that shortens it.
 */
public final class CostPlanner {
  private CostPlanner() {}

  /**
   * Plans one micro-batch.
   *
   * @param costs per-item cost (e.g. from {@link CostModel})
   * @param speeds per-worker speed, relative (1 = reference worker); at least one, all positive
   * @return the worker of each item
   */
  public static int[] plan(double[] costs, double[] speeds) {
    if (speeds.length < 1) {
      throw new IllegalArgumentException("cost planning needs at least one worker");
    }
    for (double s : speeds) {
      if (!(s > 0)) {
        throw new IllegalArgumentException(
            "worker speeds must be positive, got " + Arrays.toString(speeds));
      }
    }
    int n = costs.length;
    int m = speeds.length;
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> costs[i]).reversed());
    double[] load = new double[m];
    int[] owner = new int[n];
    for (int i : order) {
      int best = 0;
      for (int w = 1; w < m; w++) {
        if ((load[w] + costs[i]) / speeds[w] < (load[best] + costs[i]) / speeds[best]) {
          best = w;
        }
      }
      owner[i] = best;
      load[best] += costs[i];
    }
    improve(costs, speeds, owner, load);
    return owner;
  }

  private static void improve(double[] costs, double[] speeds, int[] owner, double[] load) {
    int n = costs.length;
    for (int round = 0; round < 4 * n + 16; round++) {
      int worst = 0;
      for (int w = 1; w < speeds.length; w++) {
        if (load[w] / speeds[w] > load[worst] / speeds[worst]) {
          worst = w;
        }
      }
      double top = load[worst] / speeds[worst];
      double bestPair = top;
      int moveI = -1;
      int moveJ = -1;
      int moveTo = -1;
      for (int i = 0; i < n; i++) {
        if (owner[i] != worst) {
          continue;
        }
        for (int w = 0; w < speeds.length; w++) {
          if (w == worst) {
            continue;
          }
          double pair =
              Math.max((load[worst] - costs[i]) / speeds[worst], (load[w] + costs[i]) / speeds[w]);
          if (pair < bestPair - 1e-12 * top) {
            bestPair = pair;
            moveI = i;
            moveJ = -1;
            moveTo = w;
          }
          for (int j = 0; j < n; j++) {
            if (owner[j] != w || costs[j] >= costs[i]) {
              continue;
            }
            double d = costs[i] - costs[j];
            double swap = Math.max((load[worst] - d) / speeds[worst], (load[w] + d) / speeds[w]);
            if (swap < bestPair - 1e-12 * top) {
              bestPair = swap;
              moveI = i;
              moveJ = j;
              moveTo = w;
            }
          }
        }
      }
      if (moveI < 0) {
        return;
      }
      owner[moveI] = moveTo;
      load[worst] -= costs[moveI];
      load[moveTo] += costs[moveI];
      if (moveJ >= 0) {
        owner[moveJ] = worst;
        load[moveTo] -= costs[moveJ];
        load[worst] += costs[moveJ];
      }
    }
  }
}
