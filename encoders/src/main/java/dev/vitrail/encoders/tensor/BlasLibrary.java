package dev.vitrail.encoders.tensor;

import java.util.Locale;

/**
 * The BLAS library libtorch's float32 GEMMs go through. libtorch is linked against OpenBLAS; the
 * OpenBLAS presets can load Intel MKL under OpenBLAS's name instead ({@code
 * org.bytedeco.openblas.load=mkl}) when the MKL natives are on the class path (Maven profile {@code
 * mkl}).
 */
public enum BlasLibrary {
  OPENBLAS("openblas"),
  MKL("mkl");

  /** The class-path folder holding the MKL natives of the {@code mkl} profile. */
  static final String MKL_NATIVES = "org/bytedeco/mkl/";

  private final String settingName;

  BlasLibrary(String settingName) {
    this.settingName = settingName;
  }

  /** The name used by {@code vitrail.workers.blas}. */
  public String settingName() {
    return settingName;
  }

  /** The value of {@code org.bytedeco.openblas.load} that loads this library. */
  String presetsLoadValue() {
    return this == MKL ? "mkl" : "";
  }

  /** Whether the MKL natives are on the class path. */
  public static boolean mklAvailable() {
    ClassLoader loader = BlasLibrary.class.getClassLoader();
    return loader != null && loader.getResource(MKL_NATIVES + "linux-x86_64/") != null;
  }

  /** The library named {@code openblas} or {@code mkl} (case-insensitive). */
  public static BlasLibrary byName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (BlasLibrary b : values()) {
      if (b.settingName.equals(n)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown BLAS library '" + name + "'; expected openblas or mkl");
  }
}
