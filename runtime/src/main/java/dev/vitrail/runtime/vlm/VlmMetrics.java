package dev.vitrail.runtime.vlm;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one encoder tier ({@code POST /v1/vlm/encode} or one {@code vitrail ec} run),
 * rendered as Prometheus text: requests, images answered, {@code ec_cache} rows and bytes written,
 * inline payload bytes, cache hits (the key already had its file), evictions of the EC directory,
 * and errors by kind. The kinds are a fixed set named here, so the counters never grow with load.
 * Thread-safe.
 */
public final class VlmMetrics {
  /**
   * Error kinds counted: the HTTP error labels that {@code /v1/vlm/encode} answers with, and {@code
   * storage} for an encoder-cache write that failed; anything else counts as {@code internal}.
   */
  public static final List<String> KINDS =
      List.of(
          "malformed_request",
          "invalid_image",
          "image_too_large",
          "body_too_large",
          "unauthorized",
          "unknown_model",
          "unsupported_media_type",
          "busy",
          "shutting_down",
          "timeout",
          "storage",
          "internal");

  private final LongAdder requests = new LongAdder();
  private final LongAdder images = new LongAdder();
  private final LongAdder tokens = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder inlineBytes = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final Map<String, LongAdder> errors = new TreeMap<>();

  /** All counters at zero. */
  public VlmMetrics() {
    for (String k : KINDS) {
      errors.put(k, new LongAdder());
    }
  }

  /** A request (or CLI image) arrived. */
  public void request() {
    requests.increment();
  }

  /** One image answered; {@code cached} when its file already existed. */
  void image(boolean cached) {
    images.increment();
    if (cached) {
      hits.increment();
    }
  }

  /** An {@code ec_cache} file of {@code rows} rows and {@code fileBytes} bytes was written. */
  void written(long rows, long fileBytes) {
    tokens.add(rows);
    bytes.add(fileBytes);
  }

  /** An inline content part with {@code base64Chars} characters of payload was built. */
  void inline(long base64Chars) {
    inlineBytes.add(base64Chars);
  }

  /** An error of {@code kind} (one of {@link #KINDS}; anything else counts as internal). */
  public void error(String kind) {
    errors.getOrDefault(kind, errors.get("internal")).increment();
  }

  /** The kind of a failure outside HTTP (the CLI): limit, image, storage, request or internal. */
  public static String kindOf(Throwable e) {
    if (e instanceof EcLimitException) {
      return "image_too_large";
    }
    if (e instanceof dev.vitrail.encoders.preprocess.InvalidImageException) {
      return "invalid_image";
    }
    if (e instanceof EcStorageException) {
      return "storage";
    }
    return e instanceof IllegalArgumentException ? "malformed_request" : "internal";
  }

  /** Errors of {@code kind} so far. */
  public long errors(String kind) {
    return errors.getOrDefault(kind, new LongAdder()).sum();
  }

  /** The Prometheus text of the counters, with the evictions of {@code store} (may be null). */
  public String render(EcStore store) {
    StringBuilder s = new StringBuilder();
    counter(s, "vitrail_vlm_requests_total", "VLM encoder-tier requests.", requests.sum());
    counter(
        s, "vitrail_vlm_images_total", "Images answered by the VLM encoder tier.", images.sum());
    counter(
        s,
        "vitrail_vlm_tokens_written_total",
        "ec_cache rows (placeholder embeddings) written to encoder-cache files.",
        tokens.sum());
    counter(
        s, "vitrail_vlm_bytes_written_total", "Bytes of encoder-cache files written.", bytes.sum());
    counter(
        s,
        "vitrail_vlm_inline_bytes_total",
        "Base64 characters of inline image_embeds payloads returned.",
        inlineBytes.sum());
    counter(
        s,
        "vitrail_vlm_cache_hits_total",
        "Images whose encoder-cache file already existed (not encoded again).",
        hits.sum());
    counter(
        s,
        "vitrail_vlm_evictions_total",
        "Encoder-cache entries evicted (age or size bound).",
        store == null ? 0 : store.eviction().evictions());
    s.append("# HELP vitrail_vlm_errors_total VLM encoder-tier errors, by kind.\n");
    s.append("# TYPE vitrail_vlm_errors_total counter\n");
    for (Map.Entry<String, LongAdder> e : errors.entrySet()) {
      s.append("vitrail_vlm_errors_total{kind=\"")
          .append(e.getKey())
          .append("\"} ")
          .append(e.getValue().sum())
          .append('\n');
    }
    return s.toString();
  }

  private static void counter(StringBuilder s, String name, String help, long value) {
    s.append("# HELP ").append(name).append(' ').append(help).append('\n');
    s.append("# TYPE ").append(name).append(" counter\n");
    s.append(name).append(' ').append(value).append('\n');
  }
}
