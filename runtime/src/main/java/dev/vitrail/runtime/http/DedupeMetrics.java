package dev.vitrail.runtime.http;

import dev.vitrail.actors.cache.CacheStats;
import dev.vitrail.runtime.dedupe.DedupeStats;

/**
 * The dedupe part of {@code /metrics}: hits, misses, entries and bytes of the feature cache keyed
 * on encoded bytes and of the decoded-pixel cache, images that shared an encode in flight, and
 * images the server actually decoded.
 */
final class DedupeMetrics {
  private DedupeMetrics() {}

  static void append(StringBuilder s, DedupeStats d) {
    cache(s, "vitrail_dedupe", "Feature cache keyed on encoded image bytes", d.features());
    cache(
        s, "vitrail_dedupe_pixel", "Decoded-pixel cache keyed on encoded image bytes", d.pixels());
    line(
        s,
        "vitrail_dedupe_shared_total",
        "counter",
        "Images that waited for the same image already being encoded.",
        d.shared());
    line(
        s,
        "vitrail_http_images_decoded_total",
        "counter",
        "Images decoded and preprocessed for /v1/embeddings and /v1/encode.",
        d.decoded());
  }

  private static void cache(StringBuilder s, String prefix, String what, CacheStats c) {
    line(s, prefix + "_hits_total", "counter", what + ": hits.", c.hits());
    line(s, prefix + "_misses_total", "counter", what + ": misses.", c.misses());
    line(s, prefix + "_entries", "gauge", what + ": entries held.", c.entries());
    line(s, prefix + "_bytes", "gauge", what + ": bytes held.", c.bytes());
  }

  private static void line(StringBuilder s, String name, String type, String help, long value) {
    s.append("# HELP ").append(name).append(' ').append(help).append('\n');
    s.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    s.append(name).append(' ').append(value).append('\n');
  }
}
