package dev.vitrail.runtime.api;

import dev.vitrail.encoders.api.PixelInput;

/** One image of a request: already preprocessed pixels, or encoded bytes for the preprocessor. */
public sealed interface EncodeInput {
  /** Pixels ready for the tower. */
  record Pixels(PixelInput pixels) implements EncodeInput {}

  /** An encoded image (PNG, JPEG, ...) that the configured preprocessor turns into pixels. */
  record EncodedImage(byte[] bytes) implements EncodeInput {
    public EncodedImage {
      if (bytes.length == 0) {
        throw new IllegalArgumentException("encoded image has no bytes");
      }
    }
  }

  /** Wraps ready pixels. */
  static EncodeInput of(PixelInput pixels) {
    return new Pixels(pixels);
  }

  /** Wraps encoded bytes. */
  static EncodeInput of(byte[] encoded) {
    return new EncodedImage(encoded);
  }
}
