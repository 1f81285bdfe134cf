package dev.vitrail.encoders.tensor;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Resolves {@code vitrail.workers.blas} ({@code auto}, {@code openblas} or {@code mkl}) to a
 * library; pure apart from the probe it is handed.
 *
 * <p>{@code auto} takes OpenBLAS when the MKL natives are absent (the default build), and otherwise
 * the faster of the two in a single-thread GEMM probe ({@link BlasProbe}, cached per machine). MKL
 * must beat OpenBLAS by {@link #MKL_MARGIN} to be taken, so that probe noise on a machine where
 * both are alike does not flip the choice from one start to the next.
 */
public final class BlasChoice {
  /** The values {@code vitrail.workers.blas} accepts. */
  public static final List<String> SETTINGS = List.of("auto", "openblas", "mkl");

  /** How much faster MKL must probe than OpenBLAS for {@code auto} to take it. */
  public static final double MKL_MARGIN = 1.03;

  private BlasChoice() {}

  /** GFLOP/s each library reached in the probe. */
  public record ProbeRates(double openblas, double mkl) {}

  /**
   * The library for {@code setting}; {@code probe} is asked only for {@code auto} with MKL present.
   */
  public static BlasLibrary resolve(
      String setting, boolean mklPresent, Supplier<ProbeRates> probe) {
    String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "openblas" -> BlasLibrary.OPENBLAS;
      case "mkl" -> {
        if (!mklPresent) {
          throw new IllegalStateException(
              "vitrail.workers.blas = mkl, but the MKL natives are not on the class path:"
                  + " build with the Maven profile 'mkl' (mvn -Pmkl ...)");
        }
        yield BlasLibrary.MKL;
      }
      case "auto" -> mklPresent ? faster(probe.get()) : BlasLibrary.OPENBLAS;
      default ->
          throw new IllegalArgumentException(
              "vitrail.workers.blas must be one of " + SETTINGS + ", got '" + setting + "'");
    };
  }

  /** MKL when it probed at least {@link #MKL_MARGIN} times OpenBLAS's rate, else OpenBLAS. */
  public static BlasLibrary faster(ProbeRates rates) {
    return rates.mkl() >= MKL_MARGIN * rates.openblas() ? BlasLibrary.MKL : BlasLibrary.OPENBLAS;
  }
}
