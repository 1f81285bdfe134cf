package dev.vitrail.actors.worker;

/**
 * The rule of {@code vitrail.workers.layout = auto}, pure. A worker's next tower call runs on one
 * core while any other worker holds an item (every core then already has a single-thread tower to
 * run, which measured faster than one wide tower at the same load). A worker alone with work may
 * widen its call to all cores (its items cannot move to the idle workers), and does so while wide
 * calls measure faster per patch than single-thread ones: on a quiet machine they are (about 1.6x
 * for ViT-B/16 on 2 cores), on an oversubscribed one the multi-threaded GEMM's threads wait for
 * each other and a wide call measured 7x slower (BENCHMARKS.md, "Worker layout"). A width without a
 * measurement yet is tried first (wide, then one core); the other width is re-tried now and then
 * ({@code explore}) so that the choice follows the machine's load.
 */
public final class LayoutRule {
  private LayoutRule() {}

  /** Whether every worker other than {@code self} holds nothing. */
  public static boolean alone(int self, int[] holdings) {
    for (int w = 0; w < holdings.length; w++) {
      if (w != self && holdings[w] > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Threads for worker {@code self}'s next call.
   *
   * @param cores cores of the process ({@code vitrail.workers.cores})
   * @param self the worker about to run
   * @param holdings items each worker holds (queued or running), indexed by worker
   * @param wideNsPerPatch measured wall time per patch of wide calls, NaN before the first
   * @param narrowNsPerPatch the same for single-thread calls
   * @param explore whether to try the width that measured slower
   * @return {@code cores} or 1
   */
  public static int width(
      int cores,
      int self,
      int[] holdings,
      double wideNsPerPatch,
      double narrowNsPerPatch,
      boolean explore) {
    if (cores <= 1 || !alone(self, holdings)) {
      return 1;
    }
    if (Double.isNaN(wideNsPerPatch)) {
      return cores;
    }
    if (Double.isNaN(narrowNsPerPatch)) {
      return 1;
    }
    boolean wideFaster = wideNsPerPatch <= narrowNsPerPatch;
    return wideFaster != explore ? cores : 1;
  }
}
