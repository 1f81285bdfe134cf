package dev.vitrail.encoders.preprocess;

/**
 * An 8-bit RGB image, interleaved row-major ({@code [height, width, 3]}, HWC), the form every
 * processor starts from.
 *
 * @param width width in pixels, {@code > 0}
 * @param height height in pixels, {@code > 0}
 * @param pixels {@code width * height * 3} samples, R G B per pixel
 */
public record RgbImage(int width, int height, byte[] pixels) {
  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + width + "x" + height);
    }
    if (pixels.length != (long) width * height * 3) {
      throw new IllegalArgumentException(
          "a "
              + width
              + "x"
              + height
              + " RGB image needs "
              + (long) width * height * 3
              + " bytes, got "
              + pixels.length);
    }
  }

  /** The samples rearranged channels-first ({@code [3, height, width]}). */
  public byte[] toChw() {
    int plane = width * height;
    byte[] out = new byte[plane * 3];
    for (int i = 0; i < plane; i++) {
      out[i] = pixels[3 * i];
      out[plane + i] = pixels[3 * i + 1];
      out[2 * plane + i] = pixels[3 * i + 2];
    }
    return out;
  }

  /** The rectangle {@code [top, top + h) x [left, left + w)}, which must lie inside the image. */
  public RgbImage crop(int top, int left, int h, int w) {
    if (top < 0 || left < 0 || h <= 0 || w <= 0 || top + h > height || left + w > width) {
      throw new IllegalArgumentException(
          "crop "
              + h
              + "x"
              + w
              + " at ("
              + top
              + ", "
              + left
              + ") does not fit a "
              + height
              + "x"
              + width
              + " image");
    }
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      System.arraycopy(pixels, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
    }
    return new RgbImage(w, h, out);
  }
}
