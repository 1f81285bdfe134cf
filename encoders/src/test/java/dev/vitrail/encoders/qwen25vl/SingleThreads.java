package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.encoders.tensor.NativeTorch;

/**
 * Puts libtorch and OpenBLAS on one thread each for the tests: with both pools at their defaults
 * the towers run many times slower.
 */
final class SingleThreads {
  private SingleThreads() {}

  static void apply() {
    NativeTorch.configureThreads(1, 1);
  }
}
