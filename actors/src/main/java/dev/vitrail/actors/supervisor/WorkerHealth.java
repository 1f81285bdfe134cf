package dev.vitrail.actors.supervisor;

import java.util.Arrays;

/**
 * What the supervisor observed of each worker's answers: items completed, a moving average of the
 * time from sending an item to its answer, when the worker last answered anything, and how long a
 * busy worker stays silent between answers (its answer gap, see {@link #gapMillis}). Pure
 * bookkeeping, owned by the supervisor (single-threaded).
 */
final class WorkerHealth {
  /** Answer gaps remembered per worker: more than one tower call's items (a batch's answers). */
  static final int GAPS = 64;

  private long[] completed;
  private double[] latencyMillis;
  private long[] lastHeard;

  /** Per worker, its last {@link #GAPS} answer gaps (a ring), and where the next one goes. */
  private double[][] gaps;

  private int[] nextGap;

  WorkerHealth(int localWorkers) {
    completed = new long[localWorkers];
    latencyMillis = new double[localWorkers];
    lastHeard = new long[localWorkers];
    gaps = new double[localWorkers][GAPS];
    nextGap = new int[localWorkers];
  }

  private void grow(int w) {
    if (w >= completed.length) {
      completed = Arrays.copyOf(completed, w + 1);
      latencyMillis = Arrays.copyOf(latencyMillis, w + 1);
      lastHeard = Arrays.copyOf(lastHeard, w + 1);
      int n = gaps.length;
      gaps = Arrays.copyOf(gaps, w + 1);
      for (int i = n; i <= w; i++) {
        gaps[i] = new double[GAPS];
      }
      nextGap = Arrays.copyOf(nextGap, w + 1);
    }
  }

  /**
   * Worker {@code w} answered something at {@code now} (nanoTime); {@code busySince} is when it
   * last went from holding nothing to holding something. The silence before this answer (from its
   * previous answer, or from when it became busy) is one of its answer gaps.
   */
  void heard(int w, long now, long busySince) {
    grow(w);
    gaps[w][nextGap[w]] = (now - Math.max(lastHeard[w], busySince)) / 1e6;
    nextGap[w] = (nextGap[w] + 1) % GAPS;
    lastHeard[w] = now;
  }

  /**
   * Worker {@code w} encoded an item sent at {@code sentAt} (nanoTime), answered at {@code now}.
   */
  void encoded(int w, long sentAt, long now) {
    grow(w);
    completed[w]++;
    double ms = (now - sentAt) / 1e6;
    latencyMillis[w] = latencyMillis[w] == 0 ? ms : 0.9 * latencyMillis[w] + 0.1 * ms;
  }

  long lastHeard(int w) {
    return w < lastHeard.length ? lastHeard[w] : 0;
  }

  /**
   * How long busy worker {@code w} went without answering, at most, over its last {@link #GAPS}
   * answers (0 before the first): about one tower call, since the items of a call are answered
   * together. Unlike the send-to-answer latency it does not grow with the worker's queue, so a
   * silence of a few gaps means the worker stopped; a long pause (start-up, a GC) counts only until
   * {@link #GAPS} more answers came.
   */
  double gapMillis(int w) {
    double max = 0;
    if (w < gaps.length) {
      for (double g : gaps[w]) {
        max = Math.max(max, g);
      }
    }
    return max;
  }

  double latencyMillis(int w) {
    return w < latencyMillis.length ? latencyMillis[w] : 0;
  }

  long completed(int w) {
    return w < completed.length ? completed[w] : 0;
  }

  /** Items encoded per worker index (at least the local workers). */
  long[] completed() {
    return completed.clone();
  }
}
