package dev.vitrail.runtime.http;

import dev.vitrail.actors.cache.CacheStats;
import dev.vitrail.runtime.dedupe.DedupeStats;
import java.util.Map;

/**
 * The dedupe part of {@code /metrics}, one line per served model labeled {@code model="name"}:
 * hits, misses, entries and bytes of the feature cache keyed on encoded bytes and of the
 * decoded-pixel cache, images that shared an encode in flight, and images the server actually
 * decoded.
 */
final class DedupeMetrics {
  private DedupeMetrics() {}

  /** The lines of every model in {@code perModel} (in its order); nothing when it is empty. */
  static void append(StringBuilder s, Map<String, DedupeStats> perModel) {
    if (perModel.isEmpty()) {
      return;
    }
    cache(
        s,
        perModel,
        "vitrail_dedupe",
        "Feature cache keyed on encoded image bytes",
        DedupeStats::features);
    cache(
        s,
        perModel,
        "vitrail_dedupe_pixel",
        "Decoded-pixel cache keyed on encoded image bytes",
        DedupeStats::pixels);
    PrometheusText.perModel(
        s,
        "vitrail_dedupe_shared_total",
        "counter",
        "Images that waited for the same image already being encoded.",
        perModel,
        DedupeStats::shared);
    PrometheusText.perModel(
        s,
        "vitrail_http_images_decoded_total",
        "counter",
        "Images decoded and preprocessed for /v1/embeddings, /v1/encode and /v1/vlm/encode.",
        perModel,
        DedupeStats::decoded);
  }

  private static void cache(
      StringBuilder s,
      Map<String, DedupeStats> perModel,
      String prefix,
      String what,
      java.util.function.Function<DedupeStats, CacheStats> of) {
    PrometheusText.perModel(
        s, prefix + "_hits_total", "counter", what + ": hits.", perModel, d -> of.apply(d).hits());
    PrometheusText.perModel(
        s,
        prefix + "_misses_total",
        "counter",
        what + ": misses.",
        perModel,
        d -> of.apply(d).misses());
    PrometheusText.perModel(
        s,
        prefix + "_entries",
        "gauge",
        what + ": entries held.",
        perModel,
        d -> of.apply(d).entries());
    PrometheusText.perModel(
        s, prefix + "_bytes", "gauge", what + ": bytes held.", perModel, d -> of.apply(d).bytes());
  }
}
