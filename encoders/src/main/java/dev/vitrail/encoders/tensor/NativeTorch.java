package dev.vitrail.encoders.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * Loads libtorch robustly and sets its thread pools.
 *
 * <p>JavaCPP can pick up a system {@code libtorch_cpu.so} before extracting its own copy and crash
 * the JVM on a cold cache, so the bundled natives are extracted to the cache first. libtorch's
 * intra-op pool and OpenBLAS's pool must not both be larger than one (ViT forward becomes 50-90x
 * slower), so {@link #configureThreads} always leaves one of them at one.
 */
public final class NativeTorch {
  private static volatile boolean loaded;
  private static volatile boolean cudaNatives;
  private static boolean interopSet;

  private NativeTorch() {}

  /**
   * Extracts and loads libtorch and OpenBLAS once per JVM; later calls return at once. OpenBLAS is
   * left at one thread (libtorch keeps its default pool) until {@link #configureThreads} says
   * otherwise.
   */
  public static void load() {
    if (loaded) {
      return;
    }
    synchronized (NativeTorch.class) {
      if (loaded) {
        return;
      }
      try {
        String platform = Loader.getPlatform();
        Loader.cacheResources(openblas.class, "org/bytedeco/openblas/" + platform + "/");
        // The -Pgpu build ships the CUDA natives under "<platform>-gpu".
        for (String dir : new String[] {platform + "-gpu", platform}) {
          String path = "org/bytedeco/pytorch/" + dir + "/";
          if (torch.class.getClassLoader().getResource(path) != null) {
            Loader.cacheResources(torch.class, path);
            cudaNatives |= dir.endsWith("-gpu");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract the bundled libtorch natives", e);
      }
      Loader.load(openblas.class);
      Loader.load(torch.class);
      // Safe default until configureThreads is called: never two pools larger than one.
      openblas.blas_set_num_threads(1);
      loaded = true;
    }
  }

  /** Whether the loaded libtorch is the CUDA build ({@code -Pgpu}); false before {@link #load}. */
  public static boolean cudaNatives() {
    return cudaNatives;
  }

  /**
   * Sets the thread pools: {@code torchThreads} libtorch intra-op threads and {@code blasThreads}
   * OpenBLAS threads; at least one of them must be 1.
   */
  public static void configureThreads(int torchThreads, int blasThreads) {
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
    load();
    openblas.blas_set_num_threads(blasThreads);
    torch.set_num_threads(torchThreads);
    setInteropOnce();
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
