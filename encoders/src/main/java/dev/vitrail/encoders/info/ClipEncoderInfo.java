package dev.vitrail.encoders.info;

/**
 * CLIP's token count ({@code CLIPEncoderInfo}): a square grid of {@code image_size / patch_size}
 * patches plus the class token, whatever the image's own size.
 *
 * @param imageSize the side the processor resizes to
 * @param patchSize the side of one patch
 */
public record ClipEncoderInfo(int imageSize, int patchSize) implements VisionEncoderInfo {

  public ClipEncoderInfo {
    FixedGrid.requirePositive(imageSize, patchSize);
  }

  /** {@code image_size / patch_size}; the sizes must divide (the reference asserts it). */
  public int patchGridLength() {
    if (imageSize % patchSize != 0) {
      throw new IllegalArgumentException(
          "CLIP image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
    }
    return imageSize / patchSize;
  }

  /** Grid squared plus one class token; the image size is ignored. */
  @Override
  public long numImageTokens(int imageWidth, int imageHeight) {
    long g = patchGridLength();
    return g * g + 1;
  }

  /** The count for a full-size image. */
  public long maxImageTokens() {
    return numImageTokens(imageSize, imageSize);
  }
}
