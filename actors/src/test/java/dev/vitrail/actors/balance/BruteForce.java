package dev.vitrail.actors.balance;

import java.util.Arrays;

/** Exact minimum makespan by branch and bound, for checking bounds on small inputs. */
final class BruteForce {
  private BruteForce() {}

  static long optimum(long[] sizes, int workers) {
    long[] sorted = sizes.clone();
    Arrays.sort(sorted);
    long[] desc = new long[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      desc[i] = sorted[sorted.length - 1 - i];
    }
    long[] best = {Arrays.stream(sizes).sum()};
    search(desc, 0, new long[workers], best);
    return best[0];
  }

  private static void search(long[] desc, int k, long[] loads, long[] best) {
    long max = Arrays.stream(loads).max().orElse(0);
    if (max >= best[0]) {
      return;
    }
    if (k == desc.length) {
      best[0] = max;
      return;
    }
    for (int w = 0; w < loads.length; w++) {
      boolean seen = false;
      for (int v = 0; v < w; v++) {
        seen |= loads[v] == loads[w];
      }
      if (seen) {
        continue;
      }
      loads[w] += desc[k];
      search(desc, k + 1, loads, best);
      loads[w] -= desc[k];
    }
  }
}
