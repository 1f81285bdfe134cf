package dev.vitrail.encoders.attention;

/**
 * What the attention choice needs to know about the device, passed in so the choice stays pure.
 *
 * @param cuda whether the tower runs on a CUDA device
 * @param computeCapability CUDA compute capability as {@code major * 10 + minor} (e.g. 80 for
 *     sm80); ignored on CPU
 * @param computeDtype the tower's compute dtype: {@code "f32"}, {@code "bf16"} or {@code "f16"}
 * @param headDim the attention head width
 */
public record PlatformFacts(boolean cuda, int computeCapability, String computeDtype, int headDim) {

  public PlatformFacts {
    if (cuda && computeCapability <= 0) {
      throw new IllegalArgumentException(
          "a CUDA device needs a compute capability > 0, got " + computeCapability);
    }
    if (headDim <= 0) {
      throw new IllegalArgumentException("head dim must be > 0, got " + headDim);
    }
    if (!computeDtype.equals("f32")
        && !computeDtype.equals("bf16")
        && !computeDtype.equals("f16")) {
      throw new IllegalArgumentException(
          "compute dtype must be f32, bf16 or f16, got " + computeDtype);
    }
  }

  /** A CPU device. */
  public static PlatformFacts cpu(String computeDtype, int headDim) {
    return new PlatformFacts(false, 0, computeDtype, headDim);
  }

  /**
   * Whether the FlashAttention kernel can run: sm80+, half precision, head dim a multiple of 8 up
   * to 256.
   */
  public boolean flashCapable() {
    return cuda
        && computeCapability >= 80
        && !computeDtype.equals("f32")
        && headDim % 8 == 0
        && headDim <= 256;
  }
}
