package dev.vitrail.encoders.api;

import java.util.Arrays;

/**
 * One preprocessed image (or video clip) on the heap, ready for a tower.
 *
 * <p>Fixed-size towers (CLIP, SigLIP): {@code shape = [3, H, W]}, {@code gridThw = null}. Qwen2-VL
 * style towers: {@code shape = [t*h*w, C*T*P*P]} patch rows and {@code gridThw = [t, h, w]}.
 *
 * @param values float32 pixel values in row-major order of {@code shape}
 * @param shape the tensor shape
 * @param gridThw the patch grid for patch-row inputs, or null
 */
public record PixelInput(float[] values, int[] shape, int[] gridThw) {
  public PixelInput {
    long n = 1;
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape must be positive, got " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
    }
    if (gridThw != null) {
      if (gridThw.length != 3 || shape.length != 2) {
        throw new IllegalArgumentException(
            "patch-row inputs need shape [N, D] and grid_thw [t, h, w]");
      }
      if ((long) gridThw[0] * gridThw[1] * gridThw[2] != shape[0]) {
        throw new IllegalArgumentException(
            "grid_thw " + Arrays.toString(gridThw) + " does not match " + shape[0] + " patch rows");
      }
    }
  }

  /** Number of patches this input costs the tower (rows for patch inputs, else H*W pixels). */
  public long patchRows() {
    return gridThw != null ? shape[0] : (long) shape[shape.length - 2] * shape[shape.length - 1];
  }
}
