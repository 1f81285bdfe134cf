package dev.vitrail.actors.supervisor;

import java.util.Arrays;

/**
 * What the supervisor observed of each worker's answers: items completed, a moving average of the
 * time from sending an item to its answer, and when the worker last answered anything. Pure
 * bookkeeping, owned by the supervisor (single-threaded).
 */
final class WorkerHealth {
  private long[] completed;
  private double[] latencyMillis;
  private long[] lastHeard;

  WorkerHealth(int localWorkers) {
    completed = new long[localWorkers];
    latencyMillis = new double[localWorkers];
    lastHeard = new long[localWorkers];
  }

  private void grow(int w) {
    if (w >= completed.length) {
      completed = Arrays.copyOf(completed, w + 1);
      latencyMillis = Arrays.copyOf(latencyMillis, w + 1);
      lastHeard = Arrays.copyOf(lastHeard, w + 1);
    }
  }

  /** Worker {@code w} answered something at {@code now} (nanoTime). */
  void heard(int w, long now) {
    grow(w);
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
