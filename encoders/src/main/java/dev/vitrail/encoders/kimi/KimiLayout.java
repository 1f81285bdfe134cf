package dev.vitrail.encoders.kimi;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * MoonViT's row layouts: the rows of each entry, patch positions of an entry, and the {@code
 * sd2_tpool} merge.
 */
final class KimiLayout {
  private KimiLayout() {}

  /**
   * The rows ({@code t·h·w}) of each entry, its grid checked: positive {@code (t, h, w)} with h and
   * w multiples of the merge kernel.
   */
  static long[] entryRows(List<int[]> grids, int[] kernel) {
    long[] lengths = new long[grids.size()];
    for (int i = 0; i < grids.size(); i++) {
      int[] g = grids.get(i);
      if (g.length != 3
          || g[0] <= 0
          || g[1] <= 0
          || g[2] <= 0
          || g[1] % kernel[0] != 0
          || g[2] % kernel[1] != 0) {
        throw new IllegalArgumentException(
            "grid "
                + i
                + " "
                + Arrays.toString(g)
                + " must be positive (t, h, w) with h, w"
                + " multiples of merge_kernel_size "
                + Arrays.toString(kernel));
      }
      lengths[i] = (long) g[0] * g[1] * g[2];
    }
    return lengths;
  }

  /** Per entry: frames averaged, then kernel blocks grouped, {@code [h·w/(kh·kw), kh·kw, D]}. */
  static Tensor merge(Tensor last, List<int[]> grids, int[] kernel) {
    long d = last.size(1);
    TensorVector parts = new TensorVector();
    long at = 0;
    for (int[] g : grids) {
      long t = g[0];
      long h = g[1];
      long w = g[2];
      Tensor frames = last.narrow(0, at, t * h * w).view(t, h * w, d);
      Tensor mean = t == 1 ? frames.select(0, 0) : frames.mean(0);
      parts.push_back(
          mean.reshape(h / kernel[0], kernel[0], w / kernel[1], kernel[1], d)
              .permute(0, 2, 1, 3, 4)
              .reshape(h * w / ((long) kernel[0] * kernel[1]), (long) kernel[0] * kernel[1], d));
      at += t * h * w;
    }
    return torch.cat(parts, 0);
  }

  /** (row, column) of every patch of every frame of a {@code (t, h, w)} entry, int64. */
  static Tensor positions(int[] g) {
    long[] rc = new long[2 * g[0] * g[1] * g[2]];
    int i = 0;
    for (int f = 0; f < g[0]; f++) {
      for (int r = 0; r < g[1]; r++) {
        for (int c = 0; c < g[2]; c++) {
          rc[i++] = r;
          rc[i++] = c;
        }
      }
    }
    return torch.tensor(rc).reshape(rc.length / 2, 2);
  }
}
