package dev.vitrail.encoders.preprocess;

import java.util.Arrays;

/**
 * HuggingFace's rescale then normalize, as a per-channel table of the 256 uint8 inputs: {@code v =
 * float32(double(u) * rescaleFactor)}, then {@code float32(float32(v - mean_c) / std_c)} with mean
 * and std cast to float32. Disabled steps are left out.
 *
 * @param doRescale whether to multiply by {@code rescaleFactor}
 * @param rescaleFactor usually 1/255
 * @param doNormalize whether to subtract the mean and divide by the std
 * @param mean per-channel mean (3 values)
 * @param std per-channel standard deviation (3 values)
 */
public record Normalization(
    boolean doRescale, double rescaleFactor, boolean doNormalize, double[] mean, double[] std) {
  /** OpenAI CLIP's channel means, used by CLIP, Qwen2-VL and Pixtral. */
  public static final double[] OPENAI_CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};

  /** OpenAI CLIP's channel standard deviations. */
  public static final double[] OPENAI_CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

  public Normalization {
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException(
          "image_mean and image_std need 3 values, got " + mean.length + " and " + std.length);
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Rescale by 1/255 and normalize with the given mean and std. */
  public static Normalization of(double[] mean, double[] std) {
    return new Normalization(true, 1.0 / 255.0, true, mean, std);
  }

  /** OpenAI CLIP's mean and std. */
  public static Normalization openAiClip() {
    return of(OPENAI_CLIP_MEAN, OPENAI_CLIP_STD);
  }

  /** Mean = std = 0.5 (SigLIP), mapping [0, 255] to [-1, 1]. */
  public static Normalization half() {
    return of(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] std() {
    return std.clone();
  }

  /** The table {@code [3][256]}: the output value of channel c for uint8 input u. */
  public float[][] table() {
    float[][] lut = new float[3][256];
    for (int c = 0; c < 3; c++) {
      float m = (float) mean[c];
      float s = (float) std[c];
      for (int u = 0; u < 256; u++) {
        float v = doRescale ? (float) (u * rescaleFactor) : (float) u;
        lut[c][u] = doNormalize ? (v - m) / s : v;
      }
    }
    return lut;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n
        && doRescale == n.doRescale
        && Double.compare(rescaleFactor, n.rescaleFactor) == 0
        && doNormalize == n.doNormalize
        && Arrays.equals(mean, n.mean)
        && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std) + Double.hashCode(rescaleFactor);
  }

  @Override
  public String toString() {
    return "Normalization[rescale="
        + (doRescale ? rescaleFactor : "off")
        + ", mean="
        + (doNormalize ? Arrays.toString(mean) : "off")
        + ", std="
        + Arrays.toString(std)
        + "]";
  }
}
