package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.encoders.api.PixelInput;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Video clips for Qwen2-VL: frames paired per temporal patch, the last repeated to fill. */
class Qwen2VlFramesTest {
  private static final Qwen2VlSettings SETTINGS =
      new Qwen2VlSettings(
          14, 2, 2, 3136, 3136, 3136, 3136, ResampleFilter.BICUBIC, Normalization.openAiClip());

  private static RgbImage flat(int level) {
    byte[] px = new byte[56 * 56 * 3];
    Arrays.fill(px, (byte) level);
    return new RgbImage(56, 56, px);
  }

  @Test
  void oddClipRepeatsTheLastFrame() {
    Qwen2VlProcessor p = new Qwen2VlProcessor(SETTINGS, ImageDecoder.servingDefaults());
    float[][] lut = Normalization.openAiClip().table();
    PixelInput out = p.processFrames(List.of(flat(10), flat(20), flat(30))).get(0);
    assertArrayEquals(new int[] {2, 4, 4}, out.gridThw());
    int cols = 3 * 2 * 14 * 14;
    assertArrayEquals(new int[] {32, cols}, out.shape());
    int plane = 14 * 14;
    // row 0 is temporal patch 0 (frames 10, 20); row 16 is temporal patch 1 (frames 30, 30)
    int[][] expected = {{10, 20}, {30, 30}};
    for (int t = 0; t < 2; t++) {
      for (int c = 0; c < 3; c++) {
        for (int f = 0; f < 2; f++) {
          float want = lut[c][expected[t][f]];
          int col = (c * 2 + f) * plane;
          assertEquals(want, out.values()[t * 16 * cols + col], "t " + t + " c " + c + " f " + f);
          assertEquals(want, out.values()[(t * 16 + 15) * cols + col + plane - 1]);
        }
      }
    }
  }

  @Test
  void framesOfDifferentSizesAreRejected() {
    Qwen2VlProcessor p = new Qwen2VlProcessor(SETTINGS, ImageDecoder.servingDefaults());
    RgbImage other = new RgbImage(28, 56, new byte[28 * 56 * 3]);
    assertThrows(IllegalArgumentException.class, () -> p.processFrames(List.of(flat(1), other)));
    assertThrows(IllegalArgumentException.class, () -> p.processFrames(List.of()));
  }
}
