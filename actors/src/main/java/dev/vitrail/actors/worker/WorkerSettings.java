package dev.vitrail.actors.worker;

import java.time.Duration;

/**
 * How a worker batches and when it gives up on a stuck tower call.
 *
 * @param batchLimit most items run in one tower call
 * @param batchWait how long a partial batch waits for more items before it runs
 * @param callTimeout a tower call running longer is treated as a failed (hung) worker
 * @param minBackoff first restart delay after a failure
 * @param maxBackoff longest restart delay
 * @param batchPatchBudget most patches (tokens) per tower call, 0 for none; an item above the
 *     budget runs alone
 * @param gate how the local workers share the cores ({@link CoreGate#none()} unless {@code
 *     vitrail.workers.layout = auto})
 */
public record WorkerSettings(
    int batchLimit,
    Duration batchWait,
    Duration callTimeout,
    Duration minBackoff,
    Duration maxBackoff,
    long batchPatchBudget,
    CoreGate gate) {
  public WorkerSettings {
    java.util.Objects.requireNonNull(gate, "gate");
    if (batchLimit < 1) {
      throw new IllegalArgumentException("batch limit must be >= 1, got " + batchLimit);
    }
    if (batchPatchBudget < 0) {
      throw new IllegalArgumentException(
          "batch patch budget must be >= 0, got " + batchPatchBudget);
    }
    if (batchWait.isNegative()
        || callTimeout.isNegative()
        || callTimeout.isZero()
        || minBackoff.isNegative()
        || minBackoff.isZero()
        || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(
          "worker durations out of range: wait="
              + batchWait
              + " timeout="
              + callTimeout
              + " backoff="
              + minBackoff
              + ".."
              + maxBackoff);
    }
  }

  /** Settings whose workers never share cores ({@link CoreGate#none()}). */
  public WorkerSettings(
      int batchLimit,
      Duration batchWait,
      Duration callTimeout,
      Duration minBackoff,
      Duration maxBackoff,
      long batchPatchBudget) {
    this(
        batchLimit,
        batchWait,
        callTimeout,
        minBackoff,
        maxBackoff,
        batchPatchBudget,
        CoreGate.none());
  }

  /** Settings without a patch budget (only {@code batchLimit} bounds a batch). */
  public WorkerSettings(
      int batchLimit,
      Duration batchWait,
      Duration callTimeout,
      Duration minBackoff,
      Duration maxBackoff) {
    this(batchLimit, batchWait, callTimeout, minBackoff, maxBackoff, 0);
  }
}
