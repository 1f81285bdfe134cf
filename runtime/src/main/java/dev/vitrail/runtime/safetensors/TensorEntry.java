package dev.vitrail.runtime.safetensors;

import java.util.Arrays;

/**
 * One float32 tensor of a safetensors file: its name and shape.
 *
 * @param name the tensor's key in the header (any non-empty string except {@code __metadata__})
 * @param shape its dimensions
 */
public record TensorEntry(String name, int[] shape) {
  public TensorEntry {
    if (name == null || name.isEmpty() || name.equals("__metadata__")) {
      throw new IllegalArgumentException(
          "tensor name must be non-empty and not __metadata__, got '" + name + "'");
    }
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor " + name + " has a negative dimension: " + Arrays.toString(shape));
      }
    }
    shape = shape.clone();
  }

  /** Number of bytes of the tensor's float32 data. */
  public long byteSize() {
    long n = 4;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
