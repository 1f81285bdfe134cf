package dev.vitrail.actors.supervisor;

/**
 * Picks the worker an item goes to: the eligible worker that would finish it first ({@link
 * WorkerLoads#finish}), ties to the one least recently used when the current placement round began,
 * then to the lowest index. With idle workers and one round per request this is vLLM's assignment
 * over the workers in use order, so strictly sequential single-image requests rotate over idle
 * workers. Pure: no actors, owned by {@link Placement}.
 */
final class BestWorker {
  private final WorkerLoads loads;
  private final boolean lpt;

  /** Use order of the workers when the current placement round began. */
  private long[] order = new long[0];

  /**
   * @param lpt plan by patch rows ({@code lpt}) rather than by the cost model ({@code cost})
   */
  BestWorker(WorkerLoads loads, boolean lpt) {
    this.loads = loads;
    this.lpt = lpt;
  }

  /** Starts a placement round: ties go by the workers' use order as it is now. */
  void newRound() {
    order = loads.usage();
  }

  /**
   * The eligible worker finishing {@code t} first, or -1; {@code avoid} only if no other is
   * eligible, never if {@code strict}.
   */
  int of(Tracked t, int avoid, boolean strict) {
    boolean others = strict;
    for (int w = 0; w < loads.size(); w++) {
      others |= w != avoid && loads.eligible(w, t);
    }
    int best = -1;
    for (int w = 0; w < loads.size(); w++) {
      if (!loads.eligible(w, t) || (w == avoid && others)) {
        continue;
      }
      double f = best < 0 ? 0 : loads.finish(w, t, lpt) - loads.finish(best, t, lpt);
      if (best < 0 || f < 0 || (f == 0 && used(w) < used(best))) {
        best = w;
      }
    }
    return best;
  }

  private long used(int w) {
    return w < order.length ? order[w] : 0;
  }
}
