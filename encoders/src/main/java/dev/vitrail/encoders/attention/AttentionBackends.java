package dev.vitrail.encoders.attention;

import java.util.function.UnaryOperator;

/**
 * Picks a vision tower's attention backend like vLLM's {@code get_vit_attn_backend}: an explicit
 * override first, then the {@value #ENV_VAR} environment variable, then the platform default (CPU:
 * {@link AttentionBackend#TORCH_SDPA}; CUDA sm80+ with half precision: {@link
 * AttentionBackend#FLASH_ATTN}; other CUDA: {@link AttentionBackend#MEM_EFFICIENT}).
 *
 * <p>Pure: the environment is an injectable lookup and the device is described by {@link
 * PlatformFacts}. A named backend the device cannot run is an error, not a silent fallback.
 */
public final class AttentionBackends {
  /** The environment variable that overrides the default. */
  public static final String ENV_VAR = "VITRAIL_VIT_ATTN_BACKEND";

  private final UnaryOperator<String> env;

  /**
   * @param env looks an environment variable up ({@code System::getenv} in production); null or
   *     blank means unset
   */
  public AttentionBackends(UnaryOperator<String> env) {
    this.env = env;
  }

  /** Reads the process environment. */
  public static AttentionBackends fromSystemEnv() {
    return new AttentionBackends(System::getenv);
  }

  /**
   * Chooses the backend.
   *
   * @param override an explicit backend name (e.g. {@code EncoderOptions.attentionBackend()}), or
   *     null
   */
  public AttentionBackend choose(String override, PlatformFacts platform) {
    AttentionBackend chosen;
    if (override != null && !override.isBlank()) {
      chosen = AttentionBackend.parse(override, "the explicit override");
    } else {
      String fromEnv = env.apply(ENV_VAR);
      if (fromEnv != null && !fromEnv.isBlank()) {
        chosen = AttentionBackend.parse(fromEnv, "environment variable " + ENV_VAR);
      } else {
        return platformDefault(platform);
      }
    }
    requireRunnable(chosen, platform);
    return chosen;
  }

  /** The default for a device when nothing is named. */
  public static AttentionBackend platformDefault(PlatformFacts platform) {
    if (!platform.cuda()) {
      return AttentionBackend.TORCH_SDPA;
    }
    return platform.flashCapable() ? AttentionBackend.FLASH_ATTN : AttentionBackend.MEM_EFFICIENT;
  }

  private static void requireRunnable(AttentionBackend b, PlatformFacts p) {
    if (b == AttentionBackend.MEM_EFFICIENT && !p.cuda()) {
      throw new IllegalArgumentException("attention backend MEM_EFFICIENT needs a CUDA device");
    }
    if (b == AttentionBackend.FLASH_ATTN && !p.flashCapable()) {
      throw new IllegalArgumentException(
          "attention backend FLASH_ATTN needs CUDA sm80+, bf16/f16 and a head dim that is a"
              + " multiple of 8 up to 256; this tower has "
              + (p.cuda() ? "sm" + p.computeCapability() : "a CPU device")
              + ", "
              + p.computeDtype()
              + ", head dim "
              + p.headDim());
    }
  }
}
