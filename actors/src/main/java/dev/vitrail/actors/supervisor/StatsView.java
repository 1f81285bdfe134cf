package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.cache.EncoderCache;
import java.util.ArrayList;
import java.util.List;

/** Builds the {@link SupervisorStats} snapshot from the supervisor's parts. */
final class StatsView {
  private StatsView() {}

  /** The counters now; {@code labels} names every worker by index. */
  static SupervisorStats of(
      ItemLedger ledger,
      long rejected,
      Hedger hedger,
      WorkerHealth health,
      Placement placement,
      EncoderCache cache,
      List<String> labels) {
    WorkerLoads loads = placement.loads();
    List<WorkerStat> workers = new ArrayList<>();
    for (int w = 0; w < loads.size(); w++) {
      workers.add(
          new WorkerStat(
              labels.get(w),
              loads.live(w),
              loads.items(w),
              health.latencyMillis(w),
              health.completed(w),
              health.gapMillis(w),
              loads.suspected(w)));
    }
    return new SupervisorStats(
        ledger.size(),
        health.completed(),
        ledger.retries,
        ledger.redispatched,
        ledger.failedItems,
        rejected,
        cache.stats(),
        ledger.cancelled,
        hedger.hedged(),
        workers);
  }
}
