package dev.vitrail.encoders.preprocess;

/**
 * {@code CLIPImageProcessor} settings.
 *
 * @param shortestEdge the shortest side after resizing; the other is {@code int(S * long / short)}
 * @param doCenterCrop whether to center-crop to {@code cropHeight x cropWidth}
 * @param cropHeight crop height
 * @param cropWidth crop width
 * @param filter the resampling filter
 * @param normalization rescale and normalize
 */
public record ClipSettings(
    int shortestEdge,
    boolean doCenterCrop,
    int cropHeight,
    int cropWidth,
    ResampleFilter filter,
    Normalization normalization) {
  public ClipSettings {
    if (shortestEdge <= 0 || cropHeight <= 0 || cropWidth <= 0) {
      throw new IllegalArgumentException(
          "CLIP sizes must be > 0, got shortest_edge "
              + shortestEdge
              + ", crop "
              + cropHeight
              + "x"
              + cropWidth);
    }
  }

  /** HuggingFace's CLIP defaults for a square input of {@code imageSize}. */
  public static ClipSettings defaults(int imageSize) {
    return new ClipSettings(
        imageSize, true, imageSize, imageSize, ResampleFilter.BICUBIC, Normalization.openAiClip());
  }
}
