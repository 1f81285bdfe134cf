package dev.vitrail.encoders.preprocess;

import dev.vitrail.encoders.api.PixelInput;
import java.util.List;

/**
 * Several Pixtral inputs padded into one {@code [B, 3, Hmax, Wmax]} tensor, as transformers'
 * processor returns them: each image at the top left, the rest 0.0.
 *
 * @param pixels the padded batch
 * @param imageSizes each image's own {@code [height, width]}
 */
public record PixtralBatch(PixelInput pixels, int[][] imageSizes) {
  /** Pads {@code [3, H, W]} inputs to the largest height and width among them. */
  public static PixtralBatch pad(List<PixelInput> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("a Pixtral batch needs at least one image");
    }
    int maxH = 0;
    int maxW = 0;
    int[][] sizes = new int[images.size()][];
    for (int i = 0; i < sizes.length; i++) {
      int[] s = images.get(i).shape();
      if (s.length != 3 || s[0] != 3) {
        throw new IllegalArgumentException(
            "image " + i + " must have shape [3, H, W], got " + java.util.Arrays.toString(s));
      }
      sizes[i] = new int[] {s[1], s[2]};
      maxH = Math.max(maxH, s[1]);
      maxW = Math.max(maxW, s[2]);
    }
    float[] out = new float[sizes.length * 3 * maxH * maxW];
    for (int i = 0; i < sizes.length; i++) {
      float[] v = images.get(i).values();
      int h = sizes[i][0];
      int w = sizes[i][1];
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < h; y++) {
          System.arraycopy(v, (c * h + y) * w, out, ((i * 3 + c) * maxH + y) * maxW, w);
        }
      }
    }
    return new PixtralBatch(
        new PixelInput(out, new int[] {sizes.length, 3, maxH, maxW}, null), sizes);
  }
}
