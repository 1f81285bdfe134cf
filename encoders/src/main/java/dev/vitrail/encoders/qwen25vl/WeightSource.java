package dev.vitrail.encoders.qwen25vl;

import org.bytedeco.pytorch.Tensor;

/** Hands out the tower's weights by name (relative to the tower's prefix), shape-checked. */
@FunctionalInterface
interface WeightSource {
  /**
   * The tensor called {@code name}, in the compute dtype on the compute device, owned by the
   * caller (freed with {@code close()}).
   *
   * @throws IllegalArgumentException when it is missing or its shape is not {@code shape}
   */
  Tensor take(String name, long... shape);
}
