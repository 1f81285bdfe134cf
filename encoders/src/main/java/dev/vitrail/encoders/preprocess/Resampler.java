package dev.vitrail.encoders.preprocess;

import java.util.Arrays;

/**
 * Pillow's {@code Image.resize} for 8-bit RGB with an antialiasing filter, bit for bit: a
 * horizontal pass then a vertical pass (each skipped when its axis keeps its size), 22-bit
 * fixed-point weights, the intermediate image rounded to uint8.
 *
 * <p>{@link #resizeRegion} computes only a rectangle of the output (what a center crop keeps); each
 * output sample depends only on its own weights, so the rectangle equals the same rectangle of the
 * full resize.
 */
public final class Resampler {
  private static final int HALF = 1 << (AxisWeights.PRECISION_BITS - 1);

  /**
   * Most working memory one resize may take (weights of both axes, the intermediate rows and the
   * output); a larger one, such as a 1,000,000 x 1 image scaled up to a 224-pixel short side, is an
   * {@link ImageTooLargeException} before anything is allocated.
   */
  public static final long MAX_WORKING_BYTES = 32L << 20;

  private Resampler() {}

  /** Resizes {@code img} to {@code outWidth x outHeight}; the same size returns the input. */
  public static RgbImage resize(RgbImage img, int outWidth, int outHeight, ResampleFilter filter) {
    if (outWidth == img.width() && outHeight == img.height()) {
      return img;
    }
    return resizeRegion(img, outWidth, outHeight, 0, 0, outHeight, outWidth, filter);
  }

  /**
   * The {@code height x width} rectangle at {@code (top, left)} of {@code img} resized to {@code
   * outWidth x outHeight}.
   */
  public static RgbImage resizeRegion(
      RgbImage img,
      int outWidth,
      int outHeight,
      int top,
      int left,
      int height,
      int width,
      ResampleFilter filter) {
    if (top < 0
        || left < 0
        || height <= 0
        || width <= 0
        || top + height > outHeight
        || left + width > outWidth) {
      throw new IllegalArgumentException(
          "region "
              + height
              + "x"
              + width
              + " at ("
              + top
              + ", "
              + left
              + ") is outside "
              + outHeight
              + "x"
              + outWidth);
    }
    checkWorkingMemory(img, outWidth, outHeight, height, width, filter);
    AxisWeights wy =
        outHeight != img.height()
            ? AxisWeights.compute(img.height(), outHeight, filter).slice(top, height)
            : AxisWeights.identity(img.height()).slice(top, height);
    int firstRow = wy.start()[0];
    int lastRow = wy.start()[height - 1] + wy.count()[height - 1];
    int rowLen = width * 3;
    byte[] rows;
    int rowsFrom;
    if (outWidth != img.width()) {
      AxisWeights wx = AxisWeights.compute(img.width(), outWidth, filter).slice(left, width);
      rows = horizontal(img, wx, firstRow, lastRow);
      rowsFrom = firstRow;
    } else if (width == img.width()) {
      rows = img.pixels();
      rowsFrom = 0;
    } else {
      rows = new byte[rowLen * (lastRow - firstRow)];
      for (int y = firstRow; y < lastRow; y++) {
        System.arraycopy(
            img.pixels(), (y * img.width() + left) * 3, rows, (y - firstRow) * rowLen, rowLen);
      }
      rowsFrom = firstRow;
    }
    byte[] out;
    if (outHeight != img.height()) {
      out = new byte[rowLen * height];
      vertical(rows, rowLen, wy, rowsFrom, out);
    } else {
      out =
          java.util.Arrays.copyOfRange(
              rows, (top - rowsFrom) * rowLen, (top - rowsFrom + height) * rowLen);
    }
    return new RgbImage(width, height, out);
  }

  private static void checkWorkingMemory(
      RgbImage img, int outWidth, int outHeight, int height, int width, ResampleFilter filter) {
    long bytes =
        weightBytes(img.width(), outWidth, filter)
            + weightBytes(img.height(), outHeight, filter)
            + 3L * width * img.height()
            + 3L * width * height;
    if (bytes > MAX_WORKING_BYTES) {
      throw new ImageTooLargeException(
          "resizing a "
              + img.width()
              + "x"
              + img.height()
              + " image to "
              + outWidth
              + "x"
              + outHeight
              + " needs about "
              + (bytes >> 20)
              + " MiB of working memory, over the limit of "
              + (MAX_WORKING_BYTES >> 20)
              + " MiB (an extreme aspect ratio?)");
    }
  }

  /** The bytes of {@link AxisWeights#compute} for one axis (start, count and coefficients). */
  private static long weightBytes(int inSize, int outSize, ResampleFilter filter) {
    if (inSize == outSize) {
      return 0;
    }
    double support = filter.support() * Math.max((double) inSize / outSize, 1.0);
    return 4L * outSize * ((long) Math.ceil(support) * 2 + 3);
  }

  /** Rows {@code [firstRow, lastRow)} resampled horizontally, rounded to uint8. */
  private static byte[] horizontal(RgbImage img, AxisWeights wts, int firstRow, int lastRow) {
    int inW = img.width();
    int outW = wts.outSize();
    byte[] src = img.pixels();
    byte[] dst = new byte[outW * (lastRow - firstRow) * 3];
    int[] coeffs = wts.coeffs();
    int[] start = wts.start();
    int[] count = wts.count();
    int stride = wts.stride();
    int o = 0;
    for (int y = firstRow; y < lastRow; y++) {
      int rowIn = y * inW * 3;
      for (int x = 0; x < outW; x++) {
        int r = HALF;
        int g = HALF;
        int b = HALF;
        int p = rowIn + start[x] * 3;
        int k0 = x * stride;
        int n = count[x];
        for (int j = 0; j < n; j++, p += 3) {
          int k = coeffs[k0 + j];
          r += (src[p] & 0xff) * k;
          g += (src[p + 1] & 0xff) * k;
          b += (src[p + 2] & 0xff) * k;
        }
        dst[o++] = clip8(r);
        dst[o++] = clip8(g);
        dst[o++] = clip8(b);
      }
    }
    return dst;
  }

  /** Vertical pass over {@code src}, whose first row is input row {@code rowsFrom}. */
  private static void vertical(byte[] src, int rowLen, AxisWeights wts, int rowsFrom, byte[] dst) {
    int[] acc = new int[rowLen];
    int[] coeffs = wts.coeffs();
    for (int y = 0; y < wts.outSize(); y++) {
      Arrays.fill(acc, HALF);
      int first = wts.start()[y] - rowsFrom;
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
  }

  private static byte clip8(int acc) {
    int v = acc >> AxisWeights.PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
