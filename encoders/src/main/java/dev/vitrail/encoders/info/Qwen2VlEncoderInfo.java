package dev.vitrail.encoders.info;

/**
 * Qwen2-VL / Qwen2.5-VL token counts: {@link SmartResize} to a multiple of {@code patch_size *
 * merge_size}, then vLLM's {@code _get_vision_info} arithmetic.
 *
 * @param visionPatchSize the tower's patch side (14)
 * @param mergeSize patches merged per side into one token (2)
 * @param temporalPatchSize frames per temporal patch (2)
 * @param minPixels the processor's lower pixel bound
 * @param maxPixels the processor's upper pixel bound
 */
public record Qwen2VlEncoderInfo(
    int visionPatchSize, int mergeSize, int temporalPatchSize, long minPixels, long maxPixels)
    implements VisionEncoderInfo {
  /** Qwen2.5-VL's published {@code min_pixels} (56 * 56). */
  public static final long QWEN25_MIN_PIXELS = 3136;

  /** Qwen2.5-VL's published {@code max_pixels} (28 * 28 * 16384). */
  public static final long QWEN25_MAX_PIXELS = 12_845_056;

  /** transformers' Qwen2-VL image processor default {@code max_pixels} (28 * 28 * 1280). */
  public static final long QWEN2_MAX_PIXELS = 1_003_520;

  public Qwen2VlEncoderInfo {
    if (visionPatchSize <= 0 || mergeSize <= 0 || temporalPatchSize <= 0) {
      throw new IllegalArgumentException(
          "patch, merge and temporal patch sizes must be > 0, got "
              + visionPatchSize
              + ", "
              + mergeSize
              + ", "
              + temporalPatchSize);
    }
    if (minPixels < 0 || maxPixels < minPixels) {
      throw new IllegalArgumentException(
          "need 0 <= min_pixels <= max_pixels, got " + minPixels + " and " + maxPixels);
    }
  }

  /** What one image or video becomes: resized size, patch grid and counts. */
  public record VisionInfo(
      int resizedHeight, int resizedWidth, long gridT, long gridH, long gridW) {
    /** {@code grid_t * grid_h * grid_w}. */
    public long numPatches() {
      return gridT * gridH * gridW;
    }
  }

  /** The resize factor: {@code patch_size * merge_size}. */
  @Override
  public int patchSize() {
    return visionPatchSize * mergeSize;
  }

  /** Resizes and grids an image ({@code numFrames = 1}) or a video of {@code numFrames}. */
  public VisionInfo visionInfo(int imageWidth, int imageHeight, int numFrames) {
    if (numFrames < 0) {
      throw new IllegalArgumentException("num_frames must be >= 0, got " + numFrames);
    }
    int[] hw = SmartResize.resize(imageHeight, imageWidth, patchSize(), minPixels, maxPixels);
    long gridT = Math.max((numFrames + numFrames % temporalPatchSize) / temporalPatchSize, 1);
    return new VisionInfo(hw[0], hw[1], gridT, hw[0] / visionPatchSize, hw[1] / visionPatchSize);
  }

  /** Tokens after merging: {@code num_patches // merge_size^2}. */
  public long numTokens(int imageWidth, int imageHeight, int numFrames) {
    return visionInfo(imageWidth, imageHeight, numFrames).numPatches()
        / ((long) mergeSize * mergeSize);
  }

  @Override
  public long numImageTokens(int imageWidth, int imageHeight) {
    return numTokens(imageWidth, imageHeight, 1);
  }
}
