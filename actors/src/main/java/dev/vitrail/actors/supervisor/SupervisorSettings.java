package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.balance.CostModel;
import dev.vitrail.actors.worker.WorkerSettings;
import java.time.Duration;
import java.util.Arrays;

/**
 * How the supervisor runs its workers.
 *
 * @param workers number of encoder workers
 * @param speeds relative speed of each worker (length {@code workers}), used by {@code cost}
 * @param policy balance policy
 * @param costModel per-item cost estimate for {@code cost} and {@code pull}
 * @param maxInFlightItems items admitted at once; a request beyond it is rejected as busy
 * @param maxAttempts tower calls an item may fail before it fails alone
 * @param cacheBytes encoder cache capacity, 0 to disable
 * @param requestIdleTimeout longest wait for an item result before a request's missing items fail
 * @param worker per-worker batching, timeout and restart settings
 */
public record SupervisorSettings(
    int workers,
    double[] speeds,
    BalanceMode policy,
    CostModel costModel,
    int maxInFlightItems,
    int maxAttempts,
    long cacheBytes,
    Duration requestIdleTimeout,
    WorkerSettings worker) {
  public SupervisorSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("need at least one worker, got " + workers);
    }
    if (speeds.length != workers || Arrays.stream(speeds).anyMatch(s -> !(s > 0))) {
      throw new IllegalArgumentException(
          "need " + workers + " positive worker speeds, got " + Arrays.toString(speeds));
    }
    if (maxInFlightItems < 1
        || maxAttempts < 1
        || cacheBytes < 0
        || requestIdleTimeout.isNegative()
        || requestIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "supervisor limits out of range: in-flight="
              + maxInFlightItems
              + " attempts="
              + maxAttempts
              + " cache="
              + cacheBytes
              + " idle="
              + requestIdleTimeout);
    }
    speeds = speeds.clone();
  }

  /** Equal-speed workers with the given policy and worker settings, cache off. */
  public static SupervisorSettings of(int workers, BalanceMode policy, WorkerSettings worker) {
    double[] speeds = new double[workers];
    Arrays.fill(speeds, 1.0);
    return new SupervisorSettings(
        workers, speeds, policy, CostModel.linear(), 4096, 3, 0, Duration.ofMinutes(5), worker);
  }

  /** A copy with a different in-flight limit. */
  public SupervisorSettings withMaxInFlightItems(int max) {
    return new SupervisorSettings(
        workers,
        speeds,
        policy,
        costModel,
        max,
        maxAttempts,
        cacheBytes,
        requestIdleTimeout,
        worker);
  }

  /** A copy with a different cost model (e.g. a calibrated one). */
  public SupervisorSettings withCostModel(CostModel model) {
    return new SupervisorSettings(
        workers,
        speeds,
        policy,
        model,
        maxInFlightItems,
        maxAttempts,
        cacheBytes,
        requestIdleTimeout,
        worker);
  }

  /** A copy with a different cache capacity. */
  public SupervisorSettings withCacheBytes(long bytes) {
    return new SupervisorSettings(
        workers,
        speeds,
        policy,
        costModel,
        maxInFlightItems,
        maxAttempts,
        bytes,
        requestIdleTimeout,
        worker);
  }
}
