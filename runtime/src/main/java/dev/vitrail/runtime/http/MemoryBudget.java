package dev.vitrail.runtime.http;

import dev.vitrail.config.settings.InvalidSettingsException;

/**
 * The heap the HTTP server's settings allow it to use at the most, term by term (docs/http.md,
 * section "Memory", states the same sums):
 *
 * <ul>
 *   <li>bodies: {@code 4 x max-body-bytes-in-flight}: the body, then while it is parsed one
 *       one-byte-per-character string of its image text taken straight from the body ({@link
 *       DirectStringParser}), that text's bytes for the base64 decoder and the decoded image
 *       (0.75): 3.75 x at the most (measured: {@code vitrail bench memory});
 *   <li>decoding: {@link #BYTES_PER_DECODED_PIXEL} per pixel of {@code max-decode-pixels-in-flight}
 *       plus one resize's working memory per decoding thread;
 *   <li>images: {@code max-items-in-flight x} the model's bytes per image (tower input plus four
 *       times its features: features, JSON text and answer bytes);
 *   <li>dedupe: per served model, the feature and decoded-pixel caches' byte bounds plus {@link
 *       #DEDUPE_ENTRY_BYTES} per entry they may hold (0 when the caches are off);
 *   <li>a fixed reserve for the runtime, Pekko and the towers' Java side.
 * </ul>
 *
 * @param bodyBytes bytes for request bodies
 * @param decodeBytes bytes for decoding
 * @param itemBytes bytes for admitted images
 * @param dedupeBytes bytes the dedupe caches of every served model may hold
 * @param reserveBytes the fixed reserve
 */
public record MemoryBudget(
    long bodyBytes, long decodeBytes, long itemBytes, long dedupeBytes, long reserveBytes) {
  /**
   * Heap per decoded pixel: the decoder's raster, its samples and the RGB copy. Measured ({@code
   * vitrail bench memory}: heap allocated by the decoding thread, 1-4 Mpx): JPEG 9.1, PNG RGB 10.2,
   * PNG RGBA 13.2-13.3 B/px, so 14 covers every format; the processor's resize and normalisation
   * add about 3 B per source pixel, bounded by {@link #RESIZE_BYTES} per thread.
   */
  public static final long BYTES_PER_DECODED_PIXEL = 14;

  /** Heap set aside for everything the settings do not count. */
  public static final long RESERVE_BYTES = 96L << 20;

  /** Bytes a resize may use beyond the decoded image (encoders' Resampler limit). */
  public static final long RESIZE_BYTES =
      dev.vitrail.encoders.preprocess.Resampler.MAX_WORKING_BYTES;

  /**
   * Heap per cache entry beyond the bytes the caches weigh (each value is weighed with 96 bytes of
   * its own overhead): the SHA-256 key object and its array, and the LRU map's node.
   */
  public static final long DEDUPE_ENTRY_BYTES = 160;

  /** The budget of {@code settings} for one model whose images cost {@code bytesPerItem} each. */
  public static MemoryBudget of(HttpSettings settings, int decodeThreads, long bytesPerItem) {
    return of(settings, decodeThreads, bytesPerItem, 1);
  }

  /**
   * The budget of {@code settings} for {@code models} served models, the largest of whose images
   * cost {@code bytesPerItem} each (the item budget is shared; each model has its own caches).
   */
  public static MemoryBudget of(
      HttpSettings settings, int decodeThreads, long bytesPerItem, int models) {
    AdmissionLimits a = settings.admission();
    return new MemoryBudget(
        4 * a.maxBodyBytesInFlight(),
        a.maxDecodePixelsInFlight() * BYTES_PER_DECODED_PIXEL + decodeThreads * RESIZE_BYTES,
        a.maxItemsInFlight() * bytesPerItem,
        models * dedupeBytes(settings.dedupe()),
        RESERVE_BYTES);
  }

  /** The heap one model's dedupe caches may hold under {@code d} (0 for caches that are off). */
  public static long dedupeBytes(dev.vitrail.runtime.dedupe.DedupeSettings d) {
    long features =
        d.maxBytes() > 0 && d.maxEntries() > 0
            ? d.maxBytes() + DEDUPE_ENTRY_BYTES * d.maxEntries()
            : 0;
    long pixels =
        d.pixelMaxBytes() > 0 && d.pixelMaxEntries() > 0
            ? d.pixelMaxBytes() + DEDUPE_ENTRY_BYTES * d.pixelMaxEntries()
            : 0;
    return features + pixels;
  }

  /** The sum of the terms. */
  public long total() {
    return bodyBytes + decodeBytes + itemBytes + dedupeBytes + reserveBytes;
  }

  /**
   * Fails when the budget cannot fit {@code maxHeap} (the JVM's {@code -Xmx}), naming each term and
   * the settings that shrink it.
   */
  public void check(long maxHeap) {
    if (total() > maxHeap) {
      throw new InvalidSettingsException(
          "the vitrail.http settings need up to "
              + mib(total())
              + " of heap but the JVM's maximum heap is "
              + mib(maxHeap)
              + " (bodies "
              + mib(bodyBytes)
              + " = 4 x admission.max-body-bytes-in-flight; decoding "
              + mib(decodeBytes)
              + " from admission.max-decode-pixels-in-flight and the decoding threads; images "
              + mib(itemBytes)
              + " = admission.max-items-in-flight x the model's bytes per image; dedupe caches "
              + mib(dedupeBytes)
              + " = dedupe.max-bytes + dedupe.pixel-max-bytes (+ "
              + DEDUPE_ENTRY_BYTES
              + " B per entry) per model; reserve "
              + mib(reserveBytes)
              + "): raise -Xmx (VITRAIL_JAVA_OPTS) or lower those settings",
          null);
    }
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
