package dev.vitrail.encoders.preprocess;

/**
 * {@code PixtralImageProcessor} settings.
 *
 * @param longestEdge the longest side an image is shrunk to (never enlarged by this step)
 * @param patchHeight patch height; the output height is rounded up to a multiple of it
 * @param patchWidth patch width; the output width is rounded up to a multiple of it
 * @param filter the resampling filter
 * @param normalization rescale and normalize
 */
public record PixtralSettings(
    int longestEdge,
    int patchHeight,
    int patchWidth,
    ResampleFilter filter,
    Normalization normalization) {
  public PixtralSettings {
    if (longestEdge <= 0 || patchHeight <= 0 || patchWidth <= 0) {
      throw new IllegalArgumentException(
          "Pixtral longest_edge and patch size must be > 0, got "
              + longestEdge
              + ", "
              + patchHeight
              + "x"
              + patchWidth);
    }
  }

  /** transformers' defaults for a tower with this image size and patch size. */
  public static PixtralSettings defaults(int imageSize, int patchSize) {
    return new PixtralSettings(
        imageSize, patchSize, patchSize, ResampleFilter.BICUBIC, Normalization.openAiClip());
  }
}
