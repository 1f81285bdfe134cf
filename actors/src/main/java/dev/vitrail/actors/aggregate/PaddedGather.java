package dev.vitrail.actors.aggregate;

import dev.vitrail.encoders.api.FeatureOutput;
import java.util.Arrays;
import java.util.List;

/**
 * Features laid out as vLLM's padded all-gather: {@code [gatheredRows, ...]} with each rank's
 * images in assignment order, then zero rows (uninitialised in the reference) up to the longest
 * rank.
 *
 * @param layout where each rank's rows are
 * @param values row-major values
 * @param shape {@code [gatheredRows, ...per-row dims]}
 */
public record PaddedGather(GatherLayout layout, float[] values, int[] shape) {
  /** Lays out per-image outputs (in the caller's order) as the gather would. */
  public static PaddedGather assemble(GatherLayout layout, List<FeatureOutput> outputs) {
    if (outputs.size() != layout.assignment().shuffleIndices().length) {
      throw new IllegalArgumentException(
          "layout has "
              + layout.assignment().shuffleIndices().length
              + " images, got "
              + outputs.size()
              + " outputs");
    }
    int[] rowShape =
        outputs.isEmpty()
            ? new int[0]
            : Arrays.copyOfRange(outputs.get(0).shape(), 1, outputs.get(0).shape().length);
    int rowSize = Arrays.stream(rowShape).reduce(1, (x, y) -> x * y);
    float[] values = new float[Math.multiplyExact(layout.gatheredRows(), rowSize)];
    for (int r = 0; r < layout.workers(); r++) {
      int row = layout.gatheredRowRange(r)[0];
      for (int image : layout.assignment().imagesOf(r)) {
        FeatureOutput out = outputs.get(image);
        if (!Arrays.equals(Arrays.copyOfRange(out.shape(), 1, out.shape().length), rowShape)) {
          throw new IllegalArgumentException(
              "image "
                  + image
                  + " has output shape "
                  + Arrays.toString(out.shape())
                  + ", other images have rows of "
                  + Arrays.toString(rowShape));
        }
        System.arraycopy(out.values(), 0, values, row * rowSize, out.values().length);
        row += out.shape()[0];
      }
      if (row != layout.gatheredRowRange(r)[1]) {
        throw new IllegalArgumentException(
            "rank "
                + r
                + " produced "
                + (row - layout.gatheredRowRange(r)[0])
                + " rows, layout expects "
                + layout.localOutputRows()[r]);
      }
    }
    int[] shape = new int[rowShape.length + 1];
    shape[0] = layout.gatheredRows();
    System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
    return new PaddedGather(layout, values, shape);
  }
}
