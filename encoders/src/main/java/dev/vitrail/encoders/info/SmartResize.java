package dev.vitrail.encoders.info;

/**
 * Qwen2-VL's {@code smart_resize}: the image size, a multiple of {@code factor} on both sides,
 * closest to the original with its pixel count inside {@code [minPixels, maxPixels]}.
 *
 * <p>Arithmetic follows transformers in double precision: Python's {@code round} (half to even,
 * {@link Math#rint}), {@code math.floor}, {@code math.ceil} and {@code math.sqrt}.
 */
public final class SmartResize {
  /** transformers rejects aspect ratios above this. */
  public static final int MAX_ASPECT_RATIO = 200;

  private SmartResize() {}

  /** Returns {@code {resizedHeight, resizedWidth}}. */
  public static int[] resize(int height, int width, int factor, long minPixels, long maxPixels) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image height and width must be > 0, got " + height + "x" + width);
    }
    if (factor <= 0) {
      throw new IllegalArgumentException("factor must be > 0, got " + factor);
    }
    if ((double) Math.max(height, width) / Math.min(height, width) > MAX_ASPECT_RATIO) {
      throw new IllegalArgumentException(
          "absolute aspect ratio must be smaller than "
              + MAX_ASPECT_RATIO
              + ", got "
              + ((double) Math.max(height, width) / Math.min(height, width)));
    }
    long hBar = (long) Math.rint((double) height / factor) * factor;
    long wBar = (long) Math.rint((double) width / factor) * factor;
    if (hBar * wBar > maxPixels) {
      double beta = Math.sqrt(((double) height * width) / maxPixels);
      hBar = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
      wBar = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
    } else if (hBar * wBar < minPixels) {
      double beta = Math.sqrt(minPixels / ((double) height * width));
      hBar = (long) Math.ceil(height * beta / factor) * factor;
      wBar = (long) Math.ceil(width * beta / factor) * factor;
    }
    return new int[] {Math.toIntExact(hBar), Math.toIntExact(wBar)};
  }
}
