package dev.vitrail.encoders.preprocess;

/**
 * Pillow's {@code Image.resize} for 8-bit RGB with an antialiasing filter, bit for bit: a
 * horizontal pass then a vertical pass (each skipped when its axis keeps its size), 22-bit
 * fixed-point weights, the intermediate image rounded to uint8.
 */
public final class Resampler {
  private static final int HALF = 1 << (AxisWeights.PRECISION_BITS - 1);

  private Resampler() {}

  /** Resizes {@code img} to {@code outWidth x outHeight}; the same size returns the input. */
  public static RgbImage resize(RgbImage img, int outWidth, int outHeight, ResampleFilter filter) {
    RgbImage out = img;
    if (outWidth != img.width()) {
      out = horizontal(out, AxisWeights.compute(img.width(), outWidth, filter));
    }
    if (outHeight != img.height()) {
      out = vertical(out, AxisWeights.compute(img.height(), outHeight, filter));
    }
    return out;
  }

  private static RgbImage horizontal(RgbImage img, AxisWeights wts) {
    int inW = img.width();
    int outW = wts.outSize();
    int h = img.height();
    byte[] src = img.pixels();
    byte[] dst = new byte[outW * h * 3];
    int[] coeffs = wts.coeffs();
    int stride = wts.stride();
    for (int y = 0; y < h; y++) {
      int rowIn = y * inW * 3;
      int rowOut = y * outW * 3;
      for (int x = 0; x < outW; x++) {
        int r = HALF;
        int g = HALF;
        int b = HALF;
        int p = rowIn + wts.start()[x] * 3;
        int k0 = x * stride;
        int n = wts.count()[x];
        for (int j = 0; j < n; j++, p += 3) {
          int k = coeffs[k0 + j];
          r += (src[p] & 0xff) * k;
          g += (src[p + 1] & 0xff) * k;
          b += (src[p + 2] & 0xff) * k;
        }
        int o = rowOut + x * 3;
        dst[o] = clip8(r);
        dst[o + 1] = clip8(g);
        dst[o + 2] = clip8(b);
      }
    }
    return new RgbImage(outW, h, dst);
  }

  private static RgbImage vertical(RgbImage img, AxisWeights wts) {
    int rowLen = img.width() * 3;
    int outH = wts.outSize();
    byte[] src = img.pixels();
    byte[] dst = new byte[rowLen * outH];
    int[] acc = new int[rowLen];
    int[] coeffs = wts.coeffs();
    for (int y = 0; y < outH; y++) {
      java.util.Arrays.fill(acc, HALF);
      int first = wts.start()[y];
      int n = wts.count()[y];
      for (int j = 0; j < n; j++) {
        int k = coeffs[y * wts.stride() + j];
        int base = (first + j) * rowLen;
        for (int i = 0; i < rowLen; i++) {
          acc[i] += (src[base + i] & 0xff) * k;
        }
      }
      int o = y * rowLen;
      for (int i = 0; i < rowLen; i++) {
        dst[o + i] = clip8(acc[i]);
      }
    }
    return new RgbImage(img.width(), outH, dst);
  }

  private static byte clip8(int acc) {
    int v = acc >> AxisWeights.PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
