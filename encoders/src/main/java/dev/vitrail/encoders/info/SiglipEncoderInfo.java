package dev.vitrail.encoders.info;

/**
 * SigLIP's token count ({@code SiglipEncoderInfo}): a square grid of {@code image_size //
 * patch_size} patches, no class token and no divisibility check, whatever the image's own size.
 *
 * @param imageSize the side the processor resizes to
 * @param patchSize the side of one patch
 */
public record SiglipEncoderInfo(int imageSize, int patchSize) implements VisionEncoderInfo {

  public SiglipEncoderInfo {
    FixedGrid.requirePositive(imageSize, patchSize);
  }

  /** {@code image_size // patch_size} (floor). */
  public int patchGridLength() {
    return imageSize / patchSize;
  }

  /** Grid squared; the image size is ignored. */
  @Override
  public long numImageTokens(int imageWidth, int imageHeight) {
    long g = patchGridLength();
    return g * g;
  }

  /** The count for a full-size image. */
  public long maxImageTokens() {
    return numImageTokens(imageSize, imageSize);
  }
}
