package dev.vitrail.encoders.info;

/** Argument checks shared by the encoder infos. */
final class FixedGrid {
  private FixedGrid() {}

  static void requirePositive(int imageSize, int patchSize) {
    if (imageSize <= 0 || patchSize <= 0) {
      throw new IllegalArgumentException(
          "image_size and patch_size must be > 0, got " + imageSize + " and " + patchSize);
    }
  }
}
