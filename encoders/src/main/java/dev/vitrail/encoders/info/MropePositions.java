package dev.vitrail.encoders.info;

/**
 * vLLM's {@code get_llm_pos_ids_for_vision}: the M-RoPE position ids of one image or video in the
 * language model's sequence.
 */
public final class MropePositions {
  private MropePositions() {}

  /**
   * Returns {@code [3][N]}: rows are the temporal, height and width index, each plus {@code
   * startIdx}, with {@code N = len(tIndex) * (gridH / m) * (gridW / m)} positions ordered t-major,
   * then h, then w (floor divisions).
   *
   * <p>As in the reference, each {@code tIndex} value passes through float32 before being truncated
   * to an integer, so values above 2^24 are rounded to the nearest float32.
   *
   * @param startIdx added to every position
   * @param visionIdx which entry of {@code gridHs}/{@code gridWs}; negative counts from the end
   * @param spatialMergeSize {@code m}, the patches merged per side into one token
   * @param tIndex the temporal position of each temporal patch
   * @param gridHs patch rows per vision item
   * @param gridWs patch columns per vision item
   */
  public static long[][] forVision(
      long startIdx,
      int visionIdx,
      int spatialMergeSize,
      long[] tIndex,
      long[] gridHs,
      long[] gridWs) {
    if (spatialMergeSize <= 0) {
      throw new IllegalArgumentException("spatial_merge_size must be > 0, got " + spatialMergeSize);
    }
    long llmGridH =
        Math.floorDiv(gridHs[itemIndex(visionIdx, gridHs.length, "grid_hs")], spatialMergeSize);
    long llmGridW =
        Math.floorDiv(gridWs[itemIndex(visionIdx, gridWs.length, "grid_ws")], spatialMergeSize);
    if (llmGridH < 0 || llmGridW < 0) {
      throw new IllegalArgumentException(
          "grid sizes must be >= 0, got "
              + gridHs[itemIndex(visionIdx, gridHs.length, "grid_hs")]
              + "x"
              + gridWs[itemIndex(visionIdx, gridWs.length, "grid_ws")]);
    }
    long perFrame = Math.multiplyExact(llmGridH, llmGridW);
    int n = Math.toIntExact(Math.multiplyExact(tIndex.length, perFrame));
    long[][] out = new long[3][n];
    int k = 0;
    for (long t : tIndex) {
      long time = (long) (float) t; // torch.Tensor(list) is float32, then .long() truncates
      for (long h = 0; h < llmGridH; h++) {
        for (long w = 0; w < llmGridW; w++) {
          out[0][k] = time + startIdx;
          out[1][k] = h + startIdx;
          out[2][k] = w + startIdx;
          k++;
        }
      }
    }
    return out;
  }

  private static int itemIndex(int index, int size, String what) {
    if (index < -size || index >= size) {
      throw new IndexOutOfBoundsException(
          "vision_idx " + index + " is outside " + what + " of length " + size);
    }
    return index < 0 ? index + size : index;
  }
}
