package dev.vitrail.runtime.vlm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/** The element type of written embeddings: the consumer language model's dtype. */
public enum EcDtype {
  /** bfloat16 (Qwen2.5-VL's usual LM dtype). */
  BF16("BF16", "BFloat16Storage", 2),
  /** IEEE half precision. */
  F16("F16", "HalfStorage", 2),
  /** float32, as computed. */
  F32("F32", "FloatStorage", 4);

  private final String safetensors;
  private final String torchStorage;
  private final int byteSize;

  EcDtype(String safetensors, String torchStorage, int byteSize) {
    this.safetensors = safetensors;
    this.torchStorage = torchStorage;
    this.byteSize = byteSize;
  }

  /** Parses {@code bf16}, {@code f16} or {@code f32} (case-insensitive). */
  public static EcDtype of(String name) {
    for (EcDtype d : values()) {
      if (d.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "dtype must be one of "
            + Arrays.toString(values()).toLowerCase(Locale.ROOT)
            + ", got '"
            + name
            + "'");
  }

  /** The safetensors header name, e.g. {@code BF16}. */
  public String safetensorsName() {
    return safetensors;
  }

  /** The legacy torch storage class {@code torch.save} names for this dtype. */
  public String torchStorage() {
    return torchStorage;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** The lower-case name used in settings and responses. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Appends {@code value} cast to this dtype (little-endian {@code out}). */
  public void put(ByteBuffer out, float value) {
    switch (this) {
      case BF16 -> out.putShort(HalfFloats.bf16(value));
      case F16 -> out.putShort(HalfFloats.f16(value));
      case F32 -> out.putFloat(value);
    }
  }

  /** All values cast to this dtype, little-endian. */
  public byte[] encode(float[] values) {
    ByteBuffer out =
        ByteBuffer.allocate(Math.multiplyExact(values.length, byteSize))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      put(out, v);
    }
    return out.array();
  }
}
