package dev.vitrail.encoders.attention;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The attention implementations a vision tower can run, all through libtorch. */
public enum AttentionBackend {
  /** {@code scaled_dot_product_attention}, kernel chosen by libtorch; any device and dtype. */
  TORCH_SDPA,
  /** SDPA restricted to the FlashAttention kernel: CUDA sm80 or newer, f16/bf16. */
  FLASH_ATTN,
  /** SDPA restricted to the memory-efficient kernel: CUDA, any float dtype. */
  MEM_EFFICIENT,
  /** SDPA's plain matmul-softmax-matmul kernel: any device; the numerical reference. */
  MATH;

  /**
   * Parses a backend name, ignoring case and surrounding blanks; an unknown name is an error naming
   * {@code source} (where the name came from) and listing the valid names.
   */
  public static AttentionBackend parse(String name, String source) {
    String key = name.trim().toUpperCase(Locale.ROOT);
    for (AttentionBackend b : values()) {
      if (b.name().equals(key)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown vision attention backend '"
            + name
            + "' from "
            + source
            + "; valid backends: "
            + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
  }
}
