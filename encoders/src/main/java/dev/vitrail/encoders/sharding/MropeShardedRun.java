package dev.vitrail.encoders.sharding;

import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The result of an M-RoPE sharded run.
 *
 * @param outputs one embedding tensor per image, in the original order (views of {@code gathered})
 * @param gathered every rank's output padded to {@code maxLenPerRank} rows, in rank order; padding
 *     rows are zeros here (uninitialised memory in vLLM) and carry no meaning
 * @param maxLenPerRank the longest rank's output rows
 * @param ranks what each rank did
 */
public record MropeShardedRun(
    List<Tensor> outputs, Tensor gathered, long maxLenPerRank, List<RankShard> ranks) {

  public MropeShardedRun {
    outputs = List.copyOf(outputs);
    ranks = List.copyOf(ranks);
  }
}
