package dev.vitrail.runtime.vlm;

/**
 * How an inline {@code image_embeds} tensor is serialized. vLLM's {@code ImageEmbeddingMediaIO}
 * reads {@code torch.save} bytes with {@code torch.load(weights_only=True)} in every version with
 * {@code --enable-mm-embeds}; newer versions also read a {@code .npy} file (bytes starting with
 * {@code \x93NUMPY}, {@code np.load}), which has no bfloat16.
 */
public enum InlineFormat {
  /** {@code torch.save} zip archive (any dtype; all vLLM versions). */
  TORCH,
  /** NumPy {@code .npy} version 1.0 (f16 or f32 only; newer vLLM). */
  NPY;

  /** Parses {@code torch} or {@code npy}. */
  public static InlineFormat of(String name) {
    for (InlineFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "inline format must be \"torch\" or \"npy\", got \"" + name + "\"");
  }

  /** Refuses a dtype this format cannot hold. */
  public void check(EcDtype dtype) {
    if (this == NPY && dtype == EcDtype.BF16) {
      throw new IllegalArgumentException(
          ".npy has no bfloat16 (np.load cannot read it): ask for dtype \"f16\" or \"f32\", or"
              + " format \"torch\"");
    }
  }

  /** The serialized bytes of a float tensor. */
  byte[] tensor(float[] values, long[] shape, EcDtype dtype) {
    check(dtype);
    return this == TORCH
        ? TorchSave.tensor(values, shape, dtype)
        : Npy.tensor(values, shape, dtype);
  }

  /** The serialized bytes of an int64 tensor. */
  byte[] int64(long[] values, long[] shape) {
    return this == TORCH ? TorchSave.int64(values, shape) : Npy.int64(values, shape);
  }
}
