package dev.vitrail.actors.fake;

import dev.vitrail.encoders.api.PixelInput;
import java.util.Random;

/** Small deterministic inputs for tests. */
public final class Inputs {
  private Inputs() {}

  /** Qwen-style patch rows for grid {@code [1, h, w]} with {@code dim} values per row. */
  public static PixelInput patches(Random rnd, int h, int w, int dim) {
    float[] v = new float[h * w * dim];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextInt(17) - 8;
    }
    return new PixelInput(v, new int[] {h * w, dim}, new int[] {1, h, w});
  }

  /** A fixed-size {@code [3, s, s]} image. */
  public static PixelInput image(Random rnd, int s) {
    float[] v = new float[3 * s * s];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextInt(9) - 4;
    }
    return new PixelInput(v, new int[] {3, s, s}, null);
  }

  /** {@code in} with its first value replaced by a fault marker. */
  public static PixelInput marked(PixelInput in, float marker) {
    float[] v = in.values().clone();
    v[0] = marker;
    return new PixelInput(v, in.shape(), in.gridThw());
  }
}
