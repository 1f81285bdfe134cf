package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.cache.CacheStats;
import java.util.List;

/**
 * A snapshot of the supervisor's counters.
 *
 * @param inFlightItems items admitted and not yet answered
 * @param completedPerWorker items each worker encoded
 * @param retries items re-dispatched after a failure
 * @param lostWorkerRedispatches items re-dispatched because their remote worker left the cluster
 * @param failedItems items that failed on every attempt
 * @param rejectedRequests requests rejected as busy or shutting down
 * @param cache encoder cache counters
 * @param cancelledItems items dropped because their request was given up (idle timeout, client gone
 *     or request timed out)
 * @param hedgedItems second copies sent because the remote worker holding an item went silent
 * @param workers every worker ever used, in index order (local ones first)
 */
public record SupervisorStats(
    int inFlightItems,
    long[] completedPerWorker,
    long retries,
    long lostWorkerRedispatches,
    long failedItems,
    long rejectedRequests,
    CacheStats cache,
    long cancelledItems,
    long hedgedItems,
    List<WorkerStat> workers) {
  public SupervisorStats {
    workers = List.copyOf(workers);
  }

  /** Workers currently in placement. */
  public int liveWorkers() {
    return (int) workers.stream().filter(WorkerStat::live).count();
  }
}
