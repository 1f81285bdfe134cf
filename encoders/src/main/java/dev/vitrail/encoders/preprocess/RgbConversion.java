package dev.vitrail.encoders.preprocess;

/** How a decoded image becomes RGB. Gray is replicated to R = G = B in both cases. */
public enum RgbConversion {
  /** Pillow's {@code convert("RGB")} as HuggingFace processors call it: alpha is dropped. */
  DROP_ALPHA,
  /**
   * vLLM's media loader: an RGBA image is pasted on white through its alpha, {@code DIV255(255 *
   * (255 - a) + c * a)}; other modes convert as {@link #DROP_ALPHA}.
   */
  COMPOSITE_ON_WHITE;

  /** Converts one decoded image. */
  public RgbImage convert(DecodedImage img) {
    int n = img.width() * img.height();
    int ch = img.channels();
    byte[] in = img.samples();
    byte[] out = new byte[n * 3];
    if (ch <= 2) {
      for (int i = 0; i < n; i++) {
        byte v = in[i * ch];
        out[3 * i] = v;
        out[3 * i + 1] = v;
        out[3 * i + 2] = v;
      }
    } else if (ch == 3) {
      System.arraycopy(in, 0, out, 0, n * 3);
    } else if (this == DROP_ALPHA) {
      for (int i = 0; i < n; i++) {
        out[3 * i] = in[4 * i];
        out[3 * i + 1] = in[4 * i + 1];
        out[3 * i + 2] = in[4 * i + 2];
      }
    } else {
      for (int i = 0; i < n; i++) {
        int a = in[4 * i + 3] & 0xff;
        int white = 255 * (255 - a);
        for (int c = 0; c < 3; c++) {
          out[3 * i + c] = (byte) div255(white + (in[4 * i + c] & 0xff) * a);
        }
      }
    }
    return new RgbImage(img.width(), img.height(), out);
  }

  /** Pillow's rounded division by 255 of a value in {@code [0, 255 * 255]}. */
  static int div255(int v) {
    int t = v + 128;
    return ((t >> 8) + t) >> 8;
  }
}
