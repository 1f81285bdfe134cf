package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.cache.CacheStats;

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
 */
public record SupervisorStats(
    int inFlightItems,
    long[] completedPerWorker,
    long retries,
    long lostWorkerRedispatches,
    long failedItems,
    long rejectedRequests,
    CacheStats cache) {}
