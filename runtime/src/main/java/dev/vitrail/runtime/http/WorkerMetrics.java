package dev.vitrail.runtime.http;

import dev.vitrail.actors.supervisor.SupervisorStats;
import dev.vitrail.actors.supervisor.WorkerStat;
import java.util.Locale;

/**
 * The per-worker part of {@code /metrics}: labelled by where the worker runs ({@code local/N}, or
 * {@code HOST:PORT/NAME} of a remote worker), live workers only, so labels do not pile up as remote
 * workers come and go.
 */
final class WorkerMetrics {
  private WorkerMetrics() {}

  static void append(StringBuilder s, SupervisorStats stats) {
    header(s, "vitrail_live_workers", "gauge", "Workers in placement (local and remote).");
    s.append("vitrail_live_workers ").append(stats.liveWorkers()).append('\n');
    header(s, "vitrail_worker_completed_total", "counter", "Items encoded by each worker.");
    for (WorkerStat w : stats.workers()) {
      line(s, "vitrail_worker_completed_total", w, Long.toString(w.completed()));
    }
    header(
        s, "vitrail_worker_outstanding", "gauge", "Items sent to each worker, not yet answered.");
    for (WorkerStat w : stats.workers()) {
      line(s, "vitrail_worker_outstanding", w, Integer.toString(w.outstanding()));
    }
    header(
        s,
        "vitrail_worker_latency_ms",
        "gauge",
        "Moving average of each worker's send-to-answer time per item.");
    for (WorkerStat w : stats.workers()) {
      line(
          s, "vitrail_worker_latency_ms", w, String.format(Locale.ROOT, "%.3f", w.latencyMillis()));
    }
    header(
        s,
        "vitrail_cancelled_items_total",
        "counter",
        "Items dropped because their request was given up.");
    s.append("vitrail_cancelled_items_total ").append(stats.cancelledItems()).append('\n');
    header(
        s,
        "vitrail_hedged_items_total",
        "counter",
        "Second copies sent because the remote worker holding an item went silent.");
    s.append("vitrail_hedged_items_total ").append(stats.hedgedItems()).append('\n');
  }

  private static void line(StringBuilder s, String name, WorkerStat w, String value) {
    if (w.live()) {
      s.append(name).append("{worker=\"").append(w.label()).append("\"} ").append(value);
      s.append('\n');
    }
  }

  private static void header(StringBuilder s, String name, String type, String help) {
    s.append("# HELP ").append(name).append(' ').append(help).append('\n');
    s.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }
}
