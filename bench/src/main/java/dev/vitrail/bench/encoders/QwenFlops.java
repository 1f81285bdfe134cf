package dev.vitrail.bench.encoders;

import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.qwen25vl.GridThw;
import dev.vitrail.encoders.qwen25vl.WindowLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Benchmark inputs and FLOP counts of the Qwen2.5-VL vision tower for one patch grid. */
final class QwenFlops {
  private QwenFlops() {}

  /**
   * Multiply-add FLOPs (2 per MAC) of one entry of {@code grid}: patch embedding, the block
   * projections and MLPs, attention inside the windows or frames, and the merger.
   */
  static double perImage(Qwen25VisionConfig c, int[] grid) {
    GridThw g = GridThw.of(grid);
    int units = c.windowSize() / c.spatialMergeSize() / c.patchSize();
    WindowLayout layout = WindowLayout.compute(List.of(g), c.spatialMergeSize(), units);
    double s = layout.patches();
    double h = c.hiddenSize();
    double unit = c.spatialMergeSize() * c.spatialMergeSize();
    double total = 2 * s * c.patchRowWidth() * h;
    List<Integer> full = Arrays.stream(c.fullattBlockIndexes()).boxed().toList();
    for (int b = 0; b < c.depth(); b++) {
      total += 2 * s * (4 * h * h + 3 * h * c.intermediateSize());
      int[] cu = full.contains(b) ? layout.cuSeqlens() : layout.cuWindowSeqlens();
      for (int i = 0; i + 1 < cu.length; i++) {
        double len = cu[i + 1] - cu[i];
        total += 4 * len * len * h;
      }
    }
    return total + 2 * (s / unit) * (unit * h) * (unit * h + c.outHiddenSize());
  }

  /** {@code count} random patch-row inputs of {@code grid} (t, h, w). */
  static List<PixelInput> patchRows(Qwen25VisionConfig c, int count, int[] grid) {
    GridThw g = GridThw.of(grid);
    int width = c.patchRowWidth();
    Random r = new Random(1);
    List<PixelInput> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] v = new float[g.patches() * width];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextGaussian();
      }
      out.add(new PixelInput(v, new int[] {g.patches(), width}, grid.clone()));
    }
    return out;
  }
}
