package dev.vitrail.actors.supervisor;

import java.util.Arrays;

/**
 * What the supervisor observed of each worker's answers: items completed, a moving average of the
 * time from sending an item to its answer, when the worker last answered anything, and how long a
 * busy worker usually stays silent between answers (its answer gap, see {@link #gapMillis}). Pure
 * bookkeeping, owned by the supervisor (single-threaded).
 */
final class WorkerHealth {
  private long[] completed;
  private double[] latencyMillis;
  private long[] lastHeard;
  private double[] gapMillis;

  WorkerHealth(int localWorkers) {
    completed = new long[localWorkers];
    latencyMillis = new double[localWorkers];
    lastHeard = new long[localWorkers];
    gapMillis = new double[localWorkers];
  }

  private void grow(int w) {
    if (w >= completed.length) {
      completed = Arrays.copyOf(completed, w + 1);
      latencyMillis = Arrays.copyOf(latencyMillis, w + 1);
      lastHeard = Arrays.copyOf(lastHeard, w + 1);
      gapMillis = Arrays.copyOf(gapMillis, w + 1);
    }
  }

  /**
   * Worker {@code w} answered something at {@code now} (nanoTime); {@code busySince} is when it
   * last went from holding nothing to holding something. The silence before this answer (from its
   * previous answer, or from when it became busy) moves its answer gap by a fifth; a silence under
   * a tenth of the gap is an answer of the same burst (the items of one tower call arrive together)
   * and changes nothing.
   */
  void heard(int w, long now, long busySince) {
    grow(w);
    double gap = (now - Math.max(lastHeard[w], busySince)) / 1e6;
    if (gapMillis[w] == 0) {
      gapMillis[w] = gap;
    } else if (gap >= gapMillis[w] / 10) {
      gapMillis[w] = 0.8 * gapMillis[w] + 0.2 * gap;
    }
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
   * How long busy worker {@code w} usually goes without answering (about one tower call: the items
   * of a call are answered together), 0 before its first answer. Unlike the send-to-answer latency
   * it does not grow with the worker's queue, so a silence of a few gaps means the worker stopped.
   */
  double gapMillis(int w) {
    return w < gapMillis.length ? gapMillis[w] : 0;
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
