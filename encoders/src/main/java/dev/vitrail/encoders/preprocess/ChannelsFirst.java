package dev.vitrail.encoders.preprocess;

/** Applies a rescale/normalize table while laying an HWC uint8 image out channels-first. */
final class ChannelsFirst {
  private ChannelsFirst() {}

  /** {@code [3, H, W]} float32 values of {@code img} through {@code lut[c][u]}. */
  static float[] normalize(RgbImage img, float[][] lut) {
    int plane = img.width() * img.height();
    byte[] px = img.pixels();
    float[] out = new float[plane * 3];
    float[] r = lut[0];
    float[] g = lut[1];
    float[] b = lut[2];
    for (int i = 0; i < plane; i++) {
      out[i] = r[px[3 * i] & 0xff];
      out[plane + i] = g[px[3 * i + 1] & 0xff];
      out[2 * plane + i] = b[px[3 * i + 2] & 0xff];
    }
    return out;
  }
}
