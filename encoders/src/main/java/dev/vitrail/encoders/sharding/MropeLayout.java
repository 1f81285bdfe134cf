package dev.vitrail.encoders.sharding;

/**
 * The shape facts an M-RoPE sharded run needs from the model.
 *
 * @param reductionFactor input rows per output row ({@code embed_dim_reduction_factor})
 * @param rowShape the shape of one output row
 * @param gridRank entries per grid: 3 ({@code [t, h, w]}) or 2 ({@code [h, w]})
 * @param poolsTime whether the model averages a {@code [t, h, w]} entry's frames (MoonViT's {@code
 *     sd2_tpool}), so an entry yields {@code h*w / factor} rows whatever its {@code t}
 */
record MropeLayout(long reductionFactor, long[] rowShape, int gridRank, boolean poolsTime) {

  /**
   * Output rows of one entry: vLLM's {@code patches // factor} (floor division, so patch counts
   * that are not a multiple of the factor are allowed, as in vLLM's own tests), or {@code h*w //
   * factor} for a frame-pooling model.
   */
  long outputRows(long[] grid, long patches) {
    if (poolsTime && grid.length == 3) {
      return Math.multiplyExact(grid[1], grid[2]) / reductionFactor;
    }
    return patches / reductionFactor;
  }
}
