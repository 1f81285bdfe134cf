package dev.vitrail.encoders.sharding;

/**
 * What one simulated rank did in an M-RoPE sharded run.
 *
 * @param rank the rank
 * @param imageIndices the images it ran, in order
 * @param patchRows input rows it received
 * @param outputRows rows the model returned (0 when it had no image and was not called)
 * @param paddingRows rows appended to reach the longest rank
 * @param gatheredBegin first row of its real output in the gathered tensor
 * @param gatheredEnd end (exclusive) of its real output in the gathered tensor
 */
public record RankShard(
    int rank,
    int[] imageIndices,
    long patchRows,
    long outputRows,
    long paddingRows,
    long gatheredBegin,
    long gatheredEnd) {

  public RankShard {
    imageIndices = imageIndices.clone();
  }

  @Override
  public int[] imageIndices() {
    return imageIndices.clone();
  }
}
