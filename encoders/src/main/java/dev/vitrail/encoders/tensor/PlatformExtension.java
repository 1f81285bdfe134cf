package dev.vitrail.encoders.tensor;

import org.bytedeco.javacpp.Loader;

/**
 * JavaCPP's platform extension ({@code org.bytedeco.javacpp.platform.extension}) for the libtorch
 * natives on the class path.
 *
 * <p>With no extension set, JavaCPP also applies the presets' platform entries of every extension
 * ("try to load extensions anyway"), so the pytorch presets of the CPU build ask for their {@code
 * -gpu} entry's preloads: some 25 CUDA libraries looked up in every jar and library path, and those
 * a machine does have (the CUDA runtime, CUPTI) loaded for nothing. That took about half of
 * libtorch's load time (BENCHMARKS.md, Start-up). Without the CUDA natives the extension is set to
 * none, which is what the CPU build is.
 */
final class PlatformExtension {
  static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

  private PlatformExtension() {}

  /**
   * Sets the extension to none before the natives load, unless {@code cudaNatives} (the {@code
   * -Pgpu} build) or the user set one ({@code -Dorg.bytedeco.javacpp.platform.extension=...}). It
   * stays set for the life of the process: every preset class's own load reads it again.
   *
   * @return whether it was set here
   */
  static boolean noneForCpuBuild(boolean cudaNatives) {
    if (cudaNatives || System.getProperty(PROPERTY) != null) {
      return false;
    }
    System.setProperty(PROPERTY, "");
    Loader.loadProperties(true); // JavaCPP caches the platform properties at its first use
    return true;
  }
}
