package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.encoders.tensor.NativeTorch;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * Puts libtorch and OpenBLAS on one thread each for the tests: with both pools at their defaults
 * the towers run many times slower. {@code NativeTorch.configureThreads} is not used because
 * libtorch refuses a second interop-pool setting in one JVM, and other test classes call it too.
 */
final class SingleThreads {
  private SingleThreads() {}

  static void apply() {
    NativeTorch.load();
    openblas.blas_set_num_threads(1);
    torch.set_num_threads(1);
  }
}
