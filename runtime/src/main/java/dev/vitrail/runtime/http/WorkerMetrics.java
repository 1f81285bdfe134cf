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
    PrometheusText.gauge(
        s, "vitrail_live_workers", "Workers in placement (local and remote).", stats.liveWorkers());
    PrometheusText.header(
        s, "vitrail_worker_completed_total", "counter", "Items encoded by each worker.");
    for (WorkerStat w : stats.workers()) {
      line(s, "vitrail_worker_completed_total", w, Long.toString(w.completed()));
    }
    PrometheusText.header(
        s, "vitrail_worker_outstanding", "gauge", "Items sent to each worker, not yet answered.");
    for (WorkerStat w : stats.workers()) {
      line(s, "vitrail_worker_outstanding", w, Integer.toString(w.outstanding()));
    }
    PrometheusText.header(
        s,
        "vitrail_worker_latency_ms",
        "gauge",
        "Moving average of each worker's send-to-answer time per item.");
    for (WorkerStat w : stats.workers()) {
      line(
          s, "vitrail_worker_latency_ms", w, String.format(Locale.ROOT, "%.3f", w.latencyMillis()));
    }
    PrometheusText.counter(
        s,
        "vitrail_cancelled_items_total",
        "Items dropped because their request was given up.",
        stats.cancelledItems());
    PrometheusText.counter(
        s,
        "vitrail_hedged_items_total",
        "Second copies sent because the remote worker holding an item went silent.",
        stats.hedgedItems());
  }

  private static void line(StringBuilder s, String name, WorkerStat w, String value) {
    if (w.live()) {
      s.append(name).append("{worker=\"").append(w.label()).append("\"} ").append(value);
      s.append('\n');
    }
  }
}
