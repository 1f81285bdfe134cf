package dev.vitrail.encoders.qwen3vl;

import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Qwen3-VL's per-patch positions, in the processor's merge-block order (per frame: merge blocks
 * row-major, the {@code m x m} patches inside a block row-major): the learned square table resized
 * bilinearly with aligned corners to the frame's grid, and the 2D rotary angles.
 */
final class Qwen3VlPositions {
  private Qwen3VlPositions() {}

  /** (row, column) of every patch of a {@code (t, h, w)} entry in block order, int64 [t·h·w, 2]. */
  static Tensor rowsCols(int t, int h, int w, int m) {
    long[] rc = new long[2 * t * h * w];
    int i = 0;
    for (int f = 0; f < t; f++) {
      for (int bh = 0; bh < h / m; bh++) {
        for (int bw = 0; bw < w / m; bw++) {
          for (int ir = 0; ir < m; ir++) {
            for (int ic = 0; ic < m; ic++) {
              rc[i++] = (long) bh * m + ir;
              rc[i++] = (long) bw * m + ic;
            }
          }
        }
      }
    }
    return torch.tensor(rc).reshape(rc.length / 2, 2);
  }

  /**
   * The position terms of one entry, {@code [t·h·w, D]}: {@code table [side, side, D]} given as
   * {@code [1, D, side, side]}, resized to {@code (h, w)} (bilinear, align_corners true, as HF's
   * gather), reordered to merge blocks and repeated for every frame.
   */
  static Tensor embeddings(Tensor table, int t, int h, int w, int m) {
    long d = table.size(1);
    Tensor resized =
        torch
            .upsample_bilinear2d(
                table, new long[] {h, w}, true, new DoubleOptional(), new DoubleOptional())
            .squeeze(0)
            .permute(1, 2, 0);
    Tensor blocks =
        resized.reshape(h / m, m, w / m, m, d).permute(0, 2, 1, 3, 4).reshape((long) h * w, d);
    return t == 1 ? blocks : blocks.repeat(t, 1);
  }

  /**
   * Rotary angles {@code [S, d/2]}: {@code [row · inv, col · inv]}, {@code inv[j] = 1 / θ^(2j /
   * (d/2))} for j < d/4, float32 as HF.
   */
  static Tensor angles(Tensor positions, Qwen3VlVisionConfig c) {
    long half = c.headDim() / 2;
    Tensor exponents =
        torch
            .arange(new Scalar(0), new Scalar(half), new Scalar(2))
            .to(torch.ScalarType.Float)
            .div(new Scalar((double) half));
    Tensor inv = torch.pow(new Scalar(c.ropeTheta()), exponents).reciprocal();
    Tensor p = positions.to(torch.ScalarType.Float);
    Tensor rows = p.select(1, 0).unsqueeze(1).mul(inv);
    Tensor cols = p.select(1, 1).unsqueeze(1).mul(inv);
    return torch.cat(new TensorVector(rows, cols), 1);
  }

  /** The rows of each frame of each entry ({@code h·w}), each grid checked. Pure. */
  static long[] frameLengths(List<int[]> grids, int m) {
    List<Long> lengths = new ArrayList<>();
    for (int i = 0; i < grids.size(); i++) {
      int[] g = grids.get(i);
      if (g.length != 3 || g[0] <= 0 || g[1] <= 0 || g[2] <= 0 || g[1] % m != 0 || g[2] % m != 0) {
        throw new IllegalArgumentException(
            "grid_thw "
                + i
                + " "
                + Arrays.toString(g)
                + " must be positive with h, w multiples"
                + " of spatial_merge_size "
                + m);
      }
      for (int f = 0; f < g[0]; f++) {
        lengths.add((long) g[1] * g[2]);
      }
    }
    return lengths.stream().mapToLong(Long::longValue).toArray();
  }
}
