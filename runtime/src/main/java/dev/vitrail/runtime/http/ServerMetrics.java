package dev.vitrail.runtime.http;

import dev.vitrail.actors.supervisor.SupervisorStats;
import dev.vitrail.runtime.dedupe.DedupeStats;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** HTTP counters of one server, rendered with the supervisor's stats as Prometheus text. */
public final class ServerMetrics {
  private final LongAdder requests = new LongAdder();
  private final LongAdder images = new LongAdder();
  private final LongAdder bodiesDropped = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();
  private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
  private volatile Map<String, ImageDedupe> dedupe = Map.of();

  /** All counters at zero. */
  public ServerMetrics() {
    for (ErrorKind k : ErrorKind.values()) {
      errors.put(k, new LongAdder());
    }
  }

  /** Also renders the counters of {@code d} (model {@code name}'s dedupe caches). */
  synchronized void watch(String name, ImageDedupe d) {
    Map<String, ImageDedupe> next = new LinkedHashMap<>(dedupe);
    next.put(name, d);
    this.dedupe = Collections.unmodifiableMap(next);
  }

  /** The first watched model's dedupe counters, or null when none are watched. */
  public DedupeStats dedupe() {
    Map<String, ImageDedupe> d = dedupe;
    return d.isEmpty() ? null : d.values().iterator().next().stats();
  }

  /** The dedupe counters of model {@code name}, or null when it is not watched. */
  public DedupeStats dedupe(String name) {
    ImageDedupe d = dedupe.get(name);
    return d == null ? null : d.stats();
  }

  /** An embeddings request arrived. */
  public void started() {
    requests.increment();
    inFlight.incrementAndGet();
  }

  /** An embeddings request was answered with features for {@code count} images. */
  public void succeeded(int count) {
    images.add(count);
    inFlight.decrementAndGet();
  }

  /** An embeddings request was answered with an error. */
  public void failed(ErrorKind kind) {
    errors.get(kind).increment();
    inFlight.decrementAndGet();
  }

  /** An error answered before the request counted as started (e.g. on another route). */
  public void rejected(ErrorKind kind) {
    errors.get(kind).increment();
  }

  /** Embeddings requests being processed now. */
  public long inFlight() {
    return inFlight.get();
  }

  /** Errors of one kind so far. */
  /** A refused request's body is dropped unparsed as it arrives ({@link BodyDrops}). */
  void bodyDropped() {
    bodiesDropped.increment();
  }

  public long errors(ErrorKind kind) {
    return errors.get(kind).sum();
  }

  /** The Prometheus text exposition (version 0.0.4) of these counters and {@code stats}. */
  public String render(SupervisorStats stats) {
    StringBuilder s = new StringBuilder();
    PrometheusText.counter(
        s, "vitrail_http_requests_total", "Embeddings requests received.", requests.sum());
    PrometheusText.header(
        s, "vitrail_http_errors_total", "counter", "Requests answered with an error, by kind.");
    for (ErrorKind k : ErrorKind.values()) {
      s.append("vitrail_http_errors_total{kind=\"")
          .append(k.label())
          .append("\",status=\"")
          .append(k.status())
          .append("\"} ")
          .append(errors.get(k).sum())
          .append('\n');
    }
    PrometheusText.gauge(
        s, "vitrail_http_in_flight", "Embeddings requests being processed.", inFlight.get());
    PrometheusText.counter(
        s,
        "vitrail_http_refused_bodies_dropped_total",
        "Bodies of requests refused on arrival (busy, shutting down), dropped unparsed.",
        bodiesDropped.sum());
    PrometheusText.counter(
        s,
        "vitrail_images_encoded_total",
        "Images answered with features over HTTP.",
        images.sum());
    PrometheusText.gauge(
        s,
        "vitrail_items_in_flight",
        "Items admitted by the supervisor and not yet answered.",
        stats.inFlightItems());
    WorkerMetrics.append(s, stats);
    PrometheusText.counter(
        s, "vitrail_retries_total", "Items re-dispatched after a worker failure.", stats.retries());
    PrometheusText.counter(
        s,
        "vitrail_lost_worker_redispatches_total",
        "Items re-dispatched because their remote worker left the cluster.",
        stats.lostWorkerRedispatches());
    PrometheusText.counter(
        s,
        "vitrail_failed_items_total",
        "Items that failed on every attempt.",
        stats.failedItems());
    PrometheusText.counter(
        s,
        "vitrail_rejected_requests_total",
        "Requests the supervisor rejected (busy or draining).",
        stats.rejectedRequests());
    PrometheusText.counter(
        s, "vitrail_cache_hits_total", "Encoder cache hits.", stats.cache().hits());
    PrometheusText.counter(
        s, "vitrail_cache_misses_total", "Encoder cache misses.", stats.cache().misses());
    PrometheusText.gauge(
        s, "vitrail_cache_entries", "Entries held by the encoder cache.", stats.cache().entries());
    PrometheusText.gauge(
        s, "vitrail_cache_bytes", "Bytes held by the encoder cache.", stats.cache().bytes());
    Map<String, DedupeStats> perModel = new LinkedHashMap<>();
    dedupe.forEach((name, d) -> perModel.put(name, d.stats()));
    DedupeMetrics.append(s, perModel);
    return s.toString();
  }

  /** The Prometheus text of the admission budgets in use now. */
  public static String render(AdmissionGate gate) {
    StringBuilder s = new StringBuilder();
    PrometheusText.gauge(
        s,
        "vitrail_http_body_bytes_in_flight",
        "Bytes of request bodies reserved (being read, parsed or decoded).",
        gate.bodyBytesInFlight());
    PrometheusText.gauge(
        s,
        "vitrail_http_items_in_flight",
        "Images admitted by the HTTP server and not yet answered.",
        gate.itemsInFlight());
    PrometheusText.gauge(
        s,
        "vitrail_http_decode_pixels_in_flight",
        "Decoded pixels reserved by the decoding threads.",
        gate.pixelsInFlight());
    return s.toString();
  }

  /** Each model's supervisor counters, labeled {@code model="name"}. */
  public static String renderPerModel(Map<String, SupervisorStats> perModel) {
    StringBuilder s = new StringBuilder();
    PrometheusText.perModel(
        s,
        "vitrail_model_items_in_flight",
        "gauge",
        "Items in flight per model.",
        perModel,
        st -> st.inFlightItems());
    PrometheusText.perModel(
        s,
        "vitrail_model_failed_items_total",
        "counter",
        "Items that failed on every attempt, per model.",
        perModel,
        SupervisorStats::failedItems);
    PrometheusText.perModel(
        s,
        "vitrail_model_rejected_requests_total",
        "counter",
        "Requests each model's supervisor rejected (busy or draining).",
        perModel,
        SupervisorStats::rejectedRequests);
    PrometheusText.perModel(
        s,
        "vitrail_model_retries_total",
        "counter",
        "Items re-dispatched after a worker failure, per model.",
        perModel,
        SupervisorStats::retries);
    return s.toString();
  }
}
