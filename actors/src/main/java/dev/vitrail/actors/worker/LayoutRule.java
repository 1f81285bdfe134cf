package dev.vitrail.actors.worker;

/**
 * The rule of {@code vitrail.workers.layout = auto}, pure: the next tower call of a worker runs on
 * all cores (one wide tower) while no other worker holds an item, else on one core (per-core
 * towers). Items never move between workers once assigned, so a worker alone with work can only use
 * idle cores by widening its own call; as soon as another worker holds work, every core already has
 * a single-thread tower to run, which measured faster than one wide tower at the same load
 * (BENCHMARKS.md, "Worker layout").
 */
public final class LayoutRule {
  private LayoutRule() {}

  /**
   * Threads for worker {@code self}'s next call.
   *
   * @param cores cores of the process ({@code vitrail.workers.cores})
   * @param self the worker about to run
   * @param holdings items each worker holds (queued or running), indexed by worker
   * @return {@code cores} when every other worker holds nothing, else 1
   */
  public static int width(int cores, int self, int[] holdings) {
    if (cores <= 1) {
      return 1;
    }
    for (int w = 0; w < holdings.length; w++) {
      if (w != self && holdings[w] > 0) {
        return 1;
      }
    }
    return cores;
  }
}
