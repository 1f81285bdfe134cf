package dev.vitrail.runtime.vlm;

import dev.vitrail.encoders.info.Qwen2VlEncoderInfo;
import dev.vitrail.encoders.preprocess.Qwen2VlSettings;

/**
 * The grid and placeholder count the consumer's Qwen2-VL processor computes for an image: {@code
 * smart_resize} with its {@code min_pixels} / {@code max_pixels}, then {@code t*h*w / merge^2}
 * tokens ({@link Qwen2VlEncoderInfo}, vLLM's {@code _get_vision_info}). Pure arithmetic.
 *
 * @param info the token-count formula with the consumer's settings
 * @param maxTokensPerImage the consumer's per-image budget (0: only the pixel bound)
 */
public record ConsumerGrid(Qwen2VlEncoderInfo info, long maxTokensPerImage) {
  /** One image's plan. */
  public record Plan(int resizedHeight, int resizedWidth, int[] gridThw, long tokens) {}

  /** The consumer grid of a processor's settings. */
  public static ConsumerGrid of(Qwen2VlSettings settings, long maxTokensPerImage) {
    return new ConsumerGrid(
        new Qwen2VlEncoderInfo(
            settings.patchSize(),
            settings.mergeSize(),
            settings.temporalPatchSize(),
            settings.minPixels(),
            settings.maxPixels()),
        maxTokensPerImage);
  }

  /**
   * The plan for an image of {@code width x height} pixels.
   *
   * @throws EcLimitException when the consumer would refuse it
   */
  public Plan plan(int width, int height) {
    Qwen2VlEncoderInfo.VisionInfo v;
    try {
      v = info.visionInfo(width, height, 1);
    } catch (IllegalArgumentException e) {
      throw new EcLimitException(width + "x" + height + " image: " + e.getMessage());
    }
    long tokens = v.numPatches() / ((long) info.mergeSize() * info.mergeSize());
    if (maxTokensPerImage > 0 && tokens > maxTokensPerImage) {
      throw new EcLimitException(
          width
              + "x"
              + height
              + " image becomes grid [1, "
              + v.gridH()
              + ", "
              + v.gridW()
              + "] = "
              + tokens
              + " tokens, over the consumer's limit of "
              + maxTokensPerImage
              + " per image (vitrail.vlm.max-tokens-per-image)");
    }
    return new Plan(
        v.resizedHeight(),
        v.resizedWidth(),
        new int[] {(int) v.gridT(), (int) v.gridH(), (int) v.gridW()},
        tokens);
  }
}
