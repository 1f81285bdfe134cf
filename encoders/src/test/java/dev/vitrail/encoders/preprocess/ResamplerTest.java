package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hand-checked values of the resampler beyond the goldens (bilinear, identity, constants). */
class ResamplerTest {

  @Test
  void bilinearHalvingAveragesWithPillowRounding() {
    // 2 -> 1: both inputs weigh 0.5 = 2^21; (0 + 255 * 2^21 + 2^21) >> 22 = 128.
    RgbImage img = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    RgbImage out = Resampler.resize(img, 1, 1, ResampleFilter.BILINEAR);
    assertArrayEquals(new byte[] {(byte) 128, (byte) 128, (byte) 128}, out.pixels());
  }

  @Test
  void bicubicWeightsOfAnUpscaleSumToOne() {
    AxisWeights w = AxisWeights.compute(17, 224, ResampleFilter.BICUBIC);
    for (int i = 0; i < 224; i++) {
      int sum = 0;
      for (int j = 0; j < w.count()[i]; j++) {
        sum += w.coeffs()[i * w.stride() + j];
      }
      assertEquals(1 << AxisWeights.PRECISION_BITS, sum, 2, "output " + i);
    }
  }

  @Test
  void regionsEqualTheSameRectangleOfTheFullResize() {
    byte[] px = new byte[37 * 23 * 3];
    new java.util.Random(5).nextBytes(px);
    RgbImage img = new RgbImage(37, 23, px);
    int[][] targets = {{50, 40}, {20, 11}, {37, 30}, {25, 23}, {37, 23}};
    for (ResampleFilter f : ResampleFilter.values()) {
      for (int[] t : targets) {
        RgbImage full = Resampler.resize(img, t[0], t[1], f);
        for (int[] r :
            new int[][] {
              {0, 0, t[1], t[0]}, {1, 2, t[1] - 3, t[0] - 2}, {t[1] - 1, t[0] - 1, 1, 1}
            }) {
          RgbImage region = Resampler.resizeRegion(img, t[0], t[1], r[0], r[1], r[2], r[3], f);
          assertArrayEquals(
              full.crop(r[0], r[1], r[2], r[3]).pixels(),
              region.pixels(),
              f + " " + Arrays.toString(t) + " " + Arrays.toString(r));
        }
      }
    }
  }

  @Test
  void sameSizeIsTheIdentity() {
    RgbImage img = new RgbImage(3, 2, new byte[18]);
    assertSame(img, Resampler.resize(img, 3, 2, ResampleFilter.BICUBIC));
  }

  @Test
  void constantImagesStayConstant() {
    byte[] px = new byte[31 * 17 * 3];
    Arrays.fill(px, (byte) 201);
    for (ResampleFilter f : ResampleFilter.values()) {
      for (int[] size : new int[][] {{224, 224}, {5, 9}, {31, 3}}) {
        RgbImage out = Resampler.resize(new RgbImage(31, 17, px), size[0], size[1], f);
        for (byte b : out.pixels()) {
          assertEquals(201, b & 0xff, f + " " + Arrays.toString(size));
        }
      }
    }
  }
}
