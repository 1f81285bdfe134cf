package dev.vitrail.actors.aggregate;

import dev.vitrail.encoders.sharding.LoadBalancer;
import dev.vitrail.encoders.sharding.ShardAssignment;

/**
 * Where each image's output lands in vLLM's padded all-gather of {@code
 * run_dp_sharded_mrope_vision_model}: images are spread with {@link LoadBalancer#assign}, each
 * rank's output rows are padded to the longest rank, and the ranks are concatenated in rank order.
 *
 * @param assignment the images of each rank
 * @param localOutputRows output rows each rank produces
 * @param maxLenPerRank rows every rank is padded to
 * @param reduction patches per output row (spatial merge size squared)
 */
public record GatherLayout(
    ShardAssignment assignment, int[] localOutputRows, int maxLenPerRank, int reduction) {
  public GatherLayout {
    localOutputRows = localOutputRows.clone();
  }

  /** The layout for images of the given patch counts over {@code workers} ranks. */
  public static GatherLayout mrope(long[] patchesPerImage, int reduction, int workers) {
    if (reduction < 1) {
      throw new IllegalArgumentException("reduction factor must be >= 1, got " + reduction);
    }
    for (int i = 0; i < patchesPerImage.length; i++) {
      if (patchesPerImage[i] % reduction != 0) {
        throw new IllegalArgumentException(
            "image "
                + i
                + " has "
                + patchesPerImage[i]
                + " patches, not a multiple of the reduction factor "
                + reduction);
      }
    }
    ShardAssignment a = LoadBalancer.assign(patchesPerImage, workers);
    int[] rows = new int[workers];
    long max = 0;
    for (int r = 0; r < workers; r++) {
      rows[r] = Math.toIntExact(a.loads()[r] / reduction);
      max = Math.max(max, a.loads()[r]);
    }
    return new GatherLayout(a, rows, Math.toIntExact(max / reduction), reduction);
  }

  /** Number of ranks. */
  public int workers() {
    return localOutputRows.length;
  }

  /** Rows of the gathered tensor: every rank padded to {@link #maxLenPerRank()}. */
  public int gatheredRows() {
    return maxLenPerRank * workers();
  }

  /** Padding rows appended to rank {@code rank}'s output. */
  public int paddingRows(int rank) {
    return maxLenPerRank - localOutputRows[rank];
  }

  /**
   * Half-open rows {@code [start, end)} of the gathered tensor holding rank {@code rank}'s output.
   */
  public int[] gatheredRowRange(int rank) {
    int start = rank * maxLenPerRank;
    return new int[] {start, start + localOutputRows[rank]};
  }
}
