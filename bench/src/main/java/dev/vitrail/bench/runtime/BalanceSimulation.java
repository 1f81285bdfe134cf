package dev.vitrail.bench.runtime;

import dev.vitrail.actors.balance.CostPlanner;
import dev.vitrail.encoders.sharding.LoadBalancer;
import dev.vitrail.encoders.sharding.ShardAssignment;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Makespans of one micro-batch under each balance policy, with compute time = cost ÷ speed. */
final class BalanceSimulation {
  private BalanceSimulation() {}

  /** {@code lpt}: vLLM's assignment on patch counts, blind to cost shape and speeds. */
  static double lpt(long[] patches, double[] costs, double[] speeds) {
    ShardAssignment a = LoadBalancer.assign(patches, speeds.length);
    double worst = 0;
    for (int w = 0; w < speeds.length; w++) {
      double t = 0;
      for (int i : a.imagesOf(w)) {
        t += costs[i];
      }
      worst = Math.max(worst, t / speeds[w]);
    }
    return worst;
  }

  /** {@code cost}: greedy plus local search on the cost model and speeds. */
  static double cost(double[] costs, double[] speeds) {
    int[] owner = CostPlanner.plan(costs, speeds);
    double[] load = new double[speeds.length];
    for (int i = 0; i < costs.length; i++) {
      load[owner[i]] += costs[i];
    }
    double worst = 0;
    for (int w = 0; w < speeds.length; w++) {
      worst = Math.max(worst, load[w] / speeds[w]);
    }
    return worst;
  }

  /** {@code pull}: costliest first, each item to the worker that becomes idle first. */
  static double pull(double[] costs, double[] speeds) {
    Integer[] order = IntStream.range(0, costs.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> costs[i]).reversed());
    double[] free = new double[speeds.length];
    for (int i : order) {
      int w = 0;
      for (int v = 1; v < speeds.length; v++) {
        if (free[v] < free[w] || (free[v] == free[w] && speeds[v] > speeds[w])) {
          w = v;
        }
      }
      free[w] += costs[i] / speeds[w];
    }
    return Arrays.stream(free).max().orElse(0);
  }

  /**
   * No schedule can finish before all work spread at full speed, nor before the biggest item alone.
   */
  static double lowerBound(double[] costs, double[] speeds) {
    double total = Arrays.stream(costs).sum();
    double biggest = Arrays.stream(costs).max().orElse(0);
    double speedSum = Arrays.stream(speeds).sum();
    double fastest = Arrays.stream(speeds).max().orElse(1);
    return Math.max(total / speedSum, biggest / fastest);
  }
}
