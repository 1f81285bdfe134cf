package dev.vitrail.runtime.http;

import dev.vitrail.actors.cache.CacheStats;
import dev.vitrail.runtime.dedupe.DedupeStats;
import java.util.Map;
import java.util.function.ToLongFunction;

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
    line(
        s,
        perModel,
        "vitrail_dedupe_shared_total",
        "counter",
        "Images that waited for the same image already being encoded.",
        DedupeStats::shared);
    line(
        s,
        perModel,
        "vitrail_http_images_decoded_total",
        "counter",
        "Images decoded and preprocessed for /v1/embeddings, /v1/encode and /v1/vlm/encode.",
        DedupeStats::decoded);
  }

  private static void cache(
      StringBuilder s,
      Map<String, DedupeStats> perModel,
      String prefix,
      String what,
      java.util.function.Function<DedupeStats, CacheStats> of) {
    line(s, perModel, prefix + "_hits_total", "counter", what + ": hits.", d -> of.apply(d).hits());
    line(
        s,
        perModel,
        prefix + "_misses_total",
        "counter",
        what + ": misses.",
        d -> of.apply(d).misses());
    line(
        s,
        perModel,
        prefix + "_entries",
        "gauge",
        what + ": entries held.",
        d -> of.apply(d).entries());
    line(s, perModel, prefix + "_bytes", "gauge", what + ": bytes held.", d -> of.apply(d).bytes());
  }

  private static void line(
      StringBuilder s,
      Map<String, DedupeStats> perModel,
      String name,
      String type,
      String help,
      ToLongFunction<DedupeStats> value) {
    s.append("# HELP ").append(name).append(' ').append(help).append('\n');
    s.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    perModel.forEach(
        (model, d) ->
            s.append(name)
                .append("{model=\"")
                .append(model.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"} ")
                .append(value.applyAsLong(d))
                .append('\n'));
  }
}
