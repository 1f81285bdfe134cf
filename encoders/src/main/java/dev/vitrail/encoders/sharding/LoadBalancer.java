package dev.vitrail.encoders.sharding;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * vLLM's {@code get_load_balance_assignment}: greedy largest-first patch-load balancing.
 *
 * <p>Items are visited by size, largest first, with a stable sort (equal sizes keep ascending index
 * order); each goes to the worker with the smallest current load, the lowest worker id winning
 * ties. Zero-size items are assigned like any other. {@link BalancePolicy#VLLM} is this as a
 * policy, the default of {@link DpSharding}'s sharded runs; the supervisor's {@code lpt} mode
 * applies the same rule as items arrive.
 */
public final class LoadBalancer {
  private LoadBalancer() {}

  /**
   * Assigns items to workers exactly as vLLM does.
   *
   * <p>Fewer than one worker is rejected whenever there is an item to place. With no items and zero
   * workers the reference returns three empty lists instead of raising (its {@code min()} over the
   * empty worker range is never reached); that quirk is reproduced so the golden cases agree.
   *
   * @param sizes per-item sizes (patch counts), not negative
   * @param workers number of workers
   * @throws IllegalArgumentException for a negative size, negative workers, or zero workers with
   *     items
   */
  public static ShardAssignment assign(long[] sizes, int workers) {
    if (workers < 0 || (workers == 0 && sizes.length > 0)) {
      throw new IllegalArgumentException(
          "load balancing needs at least one worker, got "
              + workers
              + " for "
              + sizes.length
              + " items");
    }
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] < 0) {
        throw new IllegalArgumentException("item " + i + " has negative size " + sizes[i]);
      }
    }
    Integer[] order = IntStream.range(0, sizes.length).boxed().toArray(Integer[]::new);
    // Arrays.sort on objects is a stable merge sort: equal sizes keep ascending index order.
    Arrays.sort(order, Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
    long[] loads = new long[workers];
    int[] counts = new int[workers];
    int[] owner = new int[sizes.length];
    for (int i : order) {
      int best = 0;
      for (int w = 1; w < workers; w++) {
        if (loads[w] < loads[best]) {
          best = w;
        }
      }
      owner[i] = best;
      loads[best] += sizes[i];
      counts[best]++;
    }
    int[] shuffle = new int[sizes.length];
    int[] cursor = new int[workers];
    for (int w = 1; w < workers; w++) {
      cursor[w] = cursor[w - 1] + counts[w - 1];
    }
    for (int i : order) {
      shuffle[cursor[owner[i]]++] = i;
    }
    return new ShardAssignment(shuffle, counts, loads);
  }
}
