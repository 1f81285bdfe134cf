package dev.vitrail.encoders.sharding;

/**
 * The shape facts an M-RoPE sharded run needs from the model.
 *
 * @param reductionFactor input rows per output row ({@code embed_dim_reduction_factor})
 * @param rowShape the shape of one output row
 * @param gridRank entries per grid: 3 ({@code [t, h, w]}) or 2 ({@code [h, w]})
 */
record MropeLayout(long reductionFactor, long[] rowShape, int gridRank) {}
