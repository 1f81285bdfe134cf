package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch of patch-row inputs ({@code [t·h·w, width]} with {@code grid_thw}) packed into one
 * sequence for a tower that runs every entry in one call (Qwen2.5-VL, Qwen3-VL, Kimi K2.5), and the
 * split of the tower's output back into one {@link FeatureOutput} per input.
 *
 * @param pixels the rows of every input, in batch order
 * @param grids {@code [t, h, w]} per input (copies)
 */
public record PackedRows(float[] pixels, List<int[]> grids) {

  /**
   * Checks that every input is patch rows of {@code width} values with a {@code grid_thw} and
   * concatenates them; {@code family} names the tower in the error.
   */
  public static PackedRows of(String family, List<PixelInput> batch, int width) {
    List<int[]> grids = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < batch.size(); i++) {
      PixelInput in = batch.get(i);
      if (in.gridThw() == null || in.shape()[1] != width) {
        throw new IllegalArgumentException(
            family
                + " input "
                + i
                + " must be patch rows [N, "
                + width
                + "] with grid_thw, got "
                + Arrays.toString(in.shape())
                + (in.gridThw() == null ? " without grid_thw" : ""));
      }
      grids.add(in.gridThw().clone());
      total += in.values().length;
    }
    float[] pixels = new float[Math.toIntExact(total)];
    int at = 0;
    for (PixelInput in : batch) {
      System.arraycopy(in.values(), 0, pixels, at, in.values().length);
      at += in.values().length;
    }
    return new PackedRows(pixels, grids);
  }

  /** Patch rows of all inputs, {@code Σ t·h·w}. */
  public int rows() {
    long rows = 0;
    for (int[] g : grids) {
      rows += (long) g[0] * g[1] * g[2];
    }
    return Math.toIntExact(rows);
  }

  /**
   * Splits {@code values} (rows of the whole batch, input after input) per input: input i owns
   * {@code t·h·w / patchesPerRow} rows of {@code width} values ({@code width <= 0}: every row has
   * {@code values.length / rows} values).
   */
  public List<FeatureOutput> split(float[] values, int patchesPerRow, int width) {
    int w = width > 0 ? width : values.length / (rows() / patchesPerRow);
    List<FeatureOutput> result = new ArrayList<>();
    int at = 0;
    for (int[] g : grids) {
      int n = g[0] * g[1] * g[2] / patchesPerRow;
      result.add(new FeatureOutput(Arrays.copyOfRange(values, at, at + n * w), new int[] {n, w}));
      at += n * w;
    }
    return result;
  }
}
