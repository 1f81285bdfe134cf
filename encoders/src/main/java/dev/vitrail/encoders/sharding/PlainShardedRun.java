package dev.vitrail.encoders.sharding;

import org.bytedeco.pytorch.Tensor;

/**
 * The result of {@link DpSharding#runVisionModel}.
 *
 * @param output the model applied to every chunk, {@code [num_chunks, ...]}
 * @param gathered the all-gathered tensor before trimming, {@code [per_rank * world, ...]}; its
 *     last {@code paddedChunks} rows are the model applied to zero chunks
 * @param chunksPerRank {@code ceil(num_chunks / world_size)}
 * @param paddedChunks zero chunks appended to make the input divisible
 */
public record PlainShardedRun(
    Tensor output, Tensor gathered, long chunksPerRank, long paddedChunks) {}
