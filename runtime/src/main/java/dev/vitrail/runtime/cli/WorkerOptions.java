package dev.vitrail.runtime.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code vitrail.workers} options every model-running command shares (part of {@link
 * ModelOptions}); unset ones come from the settings, whose values their help shows.
 */
final class WorkerOptions {
  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "Encoder workers (default: ${bundle:vitrail.workers.count:-?}, vitrail.workers.count).")
  Integer workers;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description =
          "Most images per tower call (default: ${bundle:vitrail.workers.batch-limit:-?}, vitrail.workers.batch-limit).")
  Integer batch;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "libtorch threads per worker (default: ${bundle:vitrail.workers.torch-threads:-?}, vitrail.workers.torch-threads).")
  Integer threads;

  @Option(
      names = "--blas-threads",
      paramLabel = "N",
      description =
          "BLAS threads for the process; 1 unless --threads is 1 "
              + "(default: ${bundle:vitrail.workers.blas-threads:-?}, vitrail.workers.blas-threads).")
  Integer blasThreads;

  @Option(
      names = "--dtype",
      paramLabel = "DTYPE",
      description =
          "Tower compute mode: auto (f32 on CPU, bf16 on CUDA sm80+), f32, bf16, f16 or int8"
              + " (CPU; int8 linear weights, float32 activations)"
              + " (default: ${bundle:vitrail.workers.compute-dtype:-?}, vitrail.workers.compute-dtype).")
  String dtype;

  @Option(
      names = "--blas",
      paramLabel = "LIB",
      description =
          "BLAS library for float32 GEMMs: auto, openblas or mkl (mkl needs a build with -Pmkl)"
              + " (default: ${bundle:vitrail.workers.blas:-?}, vitrail.workers.blas).")
  String blas;

  @Option(
      names = "--linear-kernel",
      paramLabel = "KERNEL",
      description =
          "CPU linear layers: auto, dense, onednn or mlas (f32; mlas needs a build with -Pmlas)"
              + " (default: ${bundle:vitrail.workers.linear-kernel:-?},"
              + " vitrail.workers.linear-kernel).")
  String linearKernel;

  @Option(
      names = "--layout",
      paramLabel = "LAYOUT",
      description =
          "CPU worker layout: fixed (--workers/--threads as given), one-wide, per-core or auto"
              + " (per-core workers; a worker alone with work uses every core)"
              + " (default: ${bundle:vitrail.workers.layout:-?}, vitrail.workers.layout).")
  String layout;

  /** Puts the options given into {@code overrides} under their {@code vitrail.workers} keys. */
  void override(Map<String, Object> overrides) {
    if (workers != null) {
      requirePositive("--workers", workers);
      overrides.put("vitrail.workers.count", workers);
    }
    if (batch != null) {
      requirePositive("--batch", batch);
      overrides.put("vitrail.workers.batch-limit", batch);
    }
    if (threads != null) {
      requirePositive("--threads", threads);
      overrides.put("vitrail.workers.torch-threads", threads);
    }
    if (dtype != null) {
      overrides.put("vitrail.workers.compute-dtype", dtype);
    }
    if (blas != null) {
      overrides.put("vitrail.workers.blas", blas);
    }
    if (linearKernel != null) {
      overrides.put("vitrail.workers.linear-kernel", linearKernel);
    }
    if (layout != null) {
      overrides.put("vitrail.workers.layout", layout);
    }
    if (blasThreads != null) {
      requirePositive("--blas-threads", blasThreads);
      overrides.put("vitrail.workers.blas-threads", blasThreads);
    }
  }

  private static void requirePositive(String option, int value) {
    if (value < 1) {
      throw new CliException(option + " must be >= 1, got " + value);
    }
  }
}
