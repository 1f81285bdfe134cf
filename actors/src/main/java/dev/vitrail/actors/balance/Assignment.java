package dev.vitrail.actors.balance;

import java.util.Arrays;

/**
 * Which worker runs which item, in vLLM's {@code get_load_balance_assignment} output layout.
 *
 * @param shuffleIndices item indices grouped by worker (worker 0 first), each group in assignment
 *     order
 * @param counts items per worker
 * @param loads total size per worker
 */
public record Assignment(int[] shuffleIndices, int[] counts, long[] loads) {
  public Assignment {
    shuffleIndices = shuffleIndices.clone();
    counts = counts.clone();
    loads = loads.clone();
  }

  /** Number of workers the items were spread over. */
  public int workers() {
    return counts.length;
  }

  /** The item indices given to {@code worker}, in assignment order. */
  public int[] itemsOf(int worker) {
    int start = 0;
    for (int w = 0; w < worker; w++) {
      start += counts[w];
    }
    return Arrays.copyOfRange(shuffleIndices, start, start + counts[worker]);
  }

  /** The worker each item goes to, indexed by item. */
  public int[] workerOfItem() {
    int[] owner = new int[shuffleIndices.length];
    int pos = 0;
    for (int w = 0; w < counts.length; w++) {
      for (int k = 0; k < counts[w]; k++) {
        owner[shuffleIndices[pos++]] = w;
      }
    }
    return owner;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Assignment a
        && Arrays.equals(shuffleIndices, a.shuffleIndices)
        && Arrays.equals(counts, a.counts)
        && Arrays.equals(loads, a.loads);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(shuffleIndices) + Arrays.hashCode(counts))
        + Arrays.hashCode(loads);
  }

  @Override
  public String toString() {
    return "Assignment[shuffleIndices="
        + Arrays.toString(shuffleIndices)
        + ", counts="
        + Arrays.toString(counts)
        + ", loads="
        + Arrays.toString(loads)
        + "]";
  }
}
