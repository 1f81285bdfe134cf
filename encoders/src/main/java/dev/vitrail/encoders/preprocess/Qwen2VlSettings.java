package dev.vitrail.encoders.preprocess;

/**
 * {@code Qwen2VLImageProcessor} settings (also used by Qwen2.5-VL).
 *
 * @param patchSize spatial patch side (14)
 * @param mergeSize spatial merge (2); {@code smart_resize} uses factor {@code patch * merge}
 * @param temporalPatchSize frames per temporal patch (2)
 * @param minPixels lower pixel bound for images
 * @param maxPixels upper pixel bound for images
 * @param videoMinPixels lower pixel bound for video clips
 * @param videoMaxPixels upper pixel bound for video clips
 * @param filter the resampling filter
 * @param normalization rescale and normalize
 */
public record Qwen2VlSettings(
    int patchSize,
    int mergeSize,
    int temporalPatchSize,
    long minPixels,
    long maxPixels,
    long videoMinPixels,
    long videoMaxPixels,
    ResampleFilter filter,
    Normalization normalization) {
  /** transformers' image defaults: {@code 56 * 56} and {@code 28 * 28 * 1280}. */
  public static final long DEFAULT_MIN_PIXELS = 56L * 56;

  /** Upper image default. */
  public static final long DEFAULT_MAX_PIXELS = 28L * 28 * 1280;

  /** transformers' Qwen2-VL video processor defaults: {@code 128 * 28 * 28} ... */
  public static final long DEFAULT_VIDEO_MIN_PIXELS = 128L * 28 * 28;

  /** ... and {@code 768 * 28 * 28}. */
  public static final long DEFAULT_VIDEO_MAX_PIXELS = 768L * 28 * 28;

  public Qwen2VlSettings {
    if (patchSize <= 0 || mergeSize <= 0 || temporalPatchSize <= 0) {
      throw new IllegalArgumentException(
          "patch_size, merge_size and temporal_patch_size must be > 0, got "
              + patchSize
              + ", "
              + mergeSize
              + ", "
              + temporalPatchSize);
    }
    if (minPixels <= 0 || maxPixels < minPixels) {
      throw new IllegalArgumentException(
          "need 0 < min_pixels <= max_pixels, got " + minPixels + " and " + maxPixels);
    }
    if (videoMinPixels <= 0 || videoMaxPixels < videoMinPixels) {
      throw new IllegalArgumentException(
          "need 0 < video min_pixels <= max_pixels, got "
              + videoMinPixels
              + " and "
              + videoMaxPixels);
    }
  }

  /** transformers' defaults for the given patch geometry. */
  public static Qwen2VlSettings defaults(int patchSize, int mergeSize, int temporalPatchSize) {
    return new Qwen2VlSettings(
        patchSize,
        mergeSize,
        temporalPatchSize,
        DEFAULT_MIN_PIXELS,
        DEFAULT_MAX_PIXELS,
        DEFAULT_VIDEO_MIN_PIXELS,
        DEFAULT_VIDEO_MAX_PIXELS,
        ResampleFilter.BICUBIC,
        Normalization.openAiClip());
  }

  /** The side multiple {@code smart_resize} rounds to. */
  public int factor() {
    return patchSize * mergeSize;
  }
}
