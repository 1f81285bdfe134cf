package dev.vitrail.runtime.vlm;

import java.util.List;

/**
 * The bound on one request's inline payloads ({@code vitrail.vlm.max-inline-bytes}): the base64
 * size of each image's {@code image_embeds} is known from its rows, the width and the dtype before
 * anything is encoded, so an over-large request is refused before it costs a tower pass. Pure.
 */
final class InlineBudget {
  /** Serialization overhead per part (archive or .npy header, the grid tensor), generous. */
  static final long OVERHEAD = 2048;

  private InlineBudget() {}

  /** The base64 characters of one image's inline part, estimated from above. */
  static long estimate(long rows, int hidden, EcDtype dtype) {
    long raw = rows * hidden * dtype.byteSize() + OVERHEAD;
    return (raw + 2) / 3 * 4;
  }

  /**
   * Refuses {@code items} when their parts would exceed {@code bound} base64 characters (0: no
   * bound).
   *
   * @throws EcLimitException naming the estimate and the setting
   */
  static void check(List<VlmEncoder.Prepared> items, int hidden, long bound) {
    if (bound <= 0) {
      return;
    }
    long total = 0;
    for (VlmEncoder.Prepared p : items) {
      total += estimate(p.plan().tokens(), hidden, p.dtype());
    }
    if (total > bound) {
      throw new EcLimitException(
          "the inline image_embeds of this request would take about "
              + total
              + " bytes of base64, over vitrail.vlm.max-inline-bytes ("
              + bound
              + "); ask for output \"ec\" or send fewer or smaller images");
    }
  }
}
