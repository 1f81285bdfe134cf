package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A learned square table of position embeddings ({@code [side², D]} in the checkpoint, row-major
 * over the grid) laid out as an image {@code [1, D, side, side]}, ready to be interpolated to each
 * image's own grid (SigLIP2, Qwen3-VL).
 */
public final class PositionTable {
  private PositionTable() {}

  /**
   * The table under {@code key} ({@code count} rows of {@code d}) as {@code [1, d, side, side]},
   * contiguous, in float32 when {@code toFloat} (else in the checkpoint's dtype); the caller owns
   * it ({@code releaseReference}).
   */
  public static Tensor load(WeightMap w, String key, long count, int side, int d, boolean toFloat) {
    Tensor stored = w.take(key, count, d);
    try (PointerScope scope = new PointerScope()) {
      Tensor rows = toFloat ? stored.to(torch.ScalarType.Float) : stored;
      Tensor table = rows.reshape(side, side, d).permute(2, 0, 1).unsqueeze(0).contiguous();
      table.retainReference();
      return table;
    } finally {
      stored.close();
    }
  }
}
