package dev.vitrail.encoders.tensor;

import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * The thread pools {@link NativeTorch#configureThreads} sets: libtorch's intra-op pool and
 * OpenBLAS's, never both larger than one (ViT forward becomes 50-90x slower), and libtorch's
 * inter-op pool at one.
 */
final class TorchThreads {
  private static boolean interopSet;
  private static volatile int configuredTorchThreads; // 0 until configured
  private static volatile int configuredBlasThreads;

  private TorchThreads() {}

  /** Refuses counts below 1 and two pools larger than one. */
  static void check(int torchThreads, int blasThreads) {
    if (torchThreads < 1 || blasThreads < 1) {
      throw new IllegalArgumentException(
          "thread counts must be >= 1, got torch=" + torchThreads + " blas=" + blasThreads);
    }
    if (torchThreads > 1 && blasThreads > 1) {
      throw new IllegalArgumentException(
          "libtorch intra-op threads ("
              + torchThreads
              + ") and OpenBLAS threads ("
              + blasThreads
              + ") must not both exceed 1: together they make the forward pass 50-90x slower");
    }
  }

  /** Sets the pools (libtorch loaded, counts {@link #check checked}) and remembers the counts. */
  static void configure(int torchThreads, int blasThreads) {
    openblas.blas_set_num_threads(blasThreads);
    torch.set_num_threads(torchThreads);
    configuredTorchThreads = torchThreads;
    configuredBlasThreads = blasThreads;
    // Initialise this thread's intra-op setting now: left lazy, a thread's first parallel op would
    // copy whatever the process-wide value is at that moment (a wide call may have raised it).
    torch.get_num_threads();
    setInteropOnce();
  }

  /** See {@link NativeTorch#intraOpPoolWide}. */
  static boolean intraOpPoolWide() {
    return configuredTorchThreads > 1 && configuredBlasThreads == 1;
  }

  /** The OpenBLAS threads {@link #configure} set, or 0 before. */
  static int configuredBlasThreads() {
    return configuredBlasThreads;
  }

  /** The libtorch intra-op threads {@link #configure} set, or 0 before. */
  static int configuredTorchThreads() {
    return configuredTorchThreads;
  }

  /**
   * libtorch accepts the inter-op pool size only once per process and only before parallel work has
   * started; Vitrail never uses inter-op parallelism, so a refusal leaves the pool as it is.
   */
  private static synchronized void setInteropOnce() {
    if (!interopSet) {
      interopSet = true;
      try {
        torch.set_num_interop_threads(1);
      } catch (RuntimeException alreadyStarted) {
        // the inter-op pool is already running; its size does not matter to Vitrail
      }
    }
  }
}
