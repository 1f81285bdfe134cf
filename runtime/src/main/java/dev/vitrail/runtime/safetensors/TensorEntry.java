package dev.vitrail.runtime.safetensors;

import dev.vitrail.encoders.weights.SafetensorsDtype;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: its name, element type and shape.
 *
 * @param name the tensor's key in the header (any non-empty string except {@code __metadata__})
 * @param dtype the safetensors dtype, e.g. {@code F32} or {@code BF16}
 * @param shape its dimensions
 */
public record TensorEntry(String name, String dtype, int[] shape) {
  public TensorEntry {
    if (name == null || name.isEmpty() || name.equals("__metadata__")) {
      throw new IllegalArgumentException(
          "tensor name must be non-empty and not __metadata__, got '" + name + "'");
    }
    SafetensorsDtype.of(dtype);
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor " + name + " has a negative dimension: " + Arrays.toString(shape));
      }
    }
    shape = shape.clone();
  }

  /** A float32 tensor. */
  public TensorEntry(String name, int[] shape) {
    this(name, "F32", shape);
  }

  /** Number of bytes of the tensor's data. */
  public long byteSize() {
    long n = SafetensorsDtype.of(dtype).byteSize();
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
