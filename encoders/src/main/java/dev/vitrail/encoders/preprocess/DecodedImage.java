package dev.vitrail.encoders.preprocess;

/**
 * A decoded image in its own mode, 8 bits per sample, interleaved ({@code [height, width,
 * channels]}): 1 = L (gray), 2 = LA, 3 = RGB, 4 = RGBA. Palette images are expanded to RGB, as
 * Pillow's {@code convert("RGB")} would.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param channels samples per pixel, 1 to 4
 * @param samples {@code width * height * channels} bytes
 */
public record DecodedImage(int width, int height, int channels, byte[] samples) {
  public DecodedImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + width + "x" + height);
    }
    if (channels < 1 || channels > 4) {
      throw new IllegalArgumentException("channels must be 1 to 4, got " + channels);
    }
    if (samples.length != (long) width * height * channels) {
      throw new IllegalArgumentException(
          "expected " + (long) width * height * channels + " samples, got " + samples.length);
    }
  }
}
