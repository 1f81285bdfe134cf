package dev.vitrail.encoders.sharding;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * vLLM's {@code get_load_balance_assignment} for the sharding tests: largest first (stable), each
 * image to the least-loaded rank, the lowest rank winning ties.
 */
final class GreedyBalance implements BalancePolicy {
  @Override
  public ShardAssignment assign(long[] sizes, int worldSize) {
    Integer[] order = IntStream.range(0, sizes.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingLong((Integer i) -> -sizes[i]));
    long[] loads = new long[worldSize];
    int[][] perRank = new int[worldSize][sizes.length];
    int[] counts = new int[worldSize];
    for (int i : order) {
      int best = 0;
      for (int r = 1; r < worldSize; r++) {
        if (loads[r] < loads[best]) {
          best = r;
        }
      }
      perRank[best][counts[best]++] = i;
      loads[best] += sizes[i];
    }
    int[] shuffle = new int[sizes.length];
    int at = 0;
    for (int r = 0; r < worldSize; r++) {
      System.arraycopy(perRank[r], 0, shuffle, at, counts[r]);
      at += counts[r];
    }
    return new ShardAssignment(shuffle, counts, loads);
  }
}
