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
 */
public record WorkerSettings(
    int batchLimit,
    Duration batchWait,
    Duration callTimeout,
    Duration minBackoff,
    Duration maxBackoff) {
  public WorkerSettings {
    if (batchLimit < 1) {
      throw new IllegalArgumentException("batch limit must be >= 1, got " + batchLimit);
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
}
