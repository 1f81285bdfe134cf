package dev.vitrail.encoders.preprocess;

/**
 * {@code SiglipImageProcessor} settings.
 *
 * @param height output height
 * @param width output width
 * @param filter the resampling filter
 * @param normalization rescale and normalize
 */
public record SiglipSettings(
    int height, int width, ResampleFilter filter, Normalization normalization) {
  public SiglipSettings {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("SigLIP size must be > 0, got " + height + "x" + width);
    }
  }

  /** HuggingFace's SigLIP defaults for a square input of {@code imageSize}. */
  public static SiglipSettings defaults(int imageSize) {
    return new SiglipSettings(imageSize, imageSize, ResampleFilter.BICUBIC, Normalization.half());
  }
}
