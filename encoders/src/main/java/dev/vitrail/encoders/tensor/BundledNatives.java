package dev.vitrail.encoders.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;

/**
 * The natives {@link NativeTorch#load} loads: the BLAS library it chose and libtorch, extracted to
 * JavaCPP's cache first (JavaCPP can pick up a system {@code libtorch_cpu.so} before extracting its
 * own copy and crash the JVM on a cold cache).
 */
final class BundledNatives {
  private BundledNatives() {}

  /**
   * Points the OpenBLAS presets at {@code library} (they load MKL under OpenBLAS's name) and
   * extracts the bundled OpenBLAS and libtorch natives to the cache.
   *
   * @return whether the libtorch natives are the CUDA build's
   */
  static boolean extract(BlasLibrary library) {
    if (library == BlasLibrary.MKL) {
      System.setProperty("org.bytedeco.openblas.load", library.presetsLoadValue());
    } else if (System.getProperty("org.bytedeco.openblas.load", "").startsWith("mkl")) {
      System.clearProperty("org.bytedeco.openblas.load"); // the setting decides, not the presets
    }
    boolean cudaNatives = false;
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
    return cudaNatives;
  }

  /**
   * Loads the extracted BLAS library and libtorch ({@code cudaNatives}: what {@link #extract}
   * said).
   */
  static void load(boolean cudaNatives) {
    PlatformExtension.noneForCpuBuild(cudaNatives); // the CPU build: no CUDA preload attempts
    Loader.load(openblas.class);
    Loader.load(torch.class);
  }
}
