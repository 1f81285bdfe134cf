package dev.vitrail.runtime.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every model-running command shares; unset ones come from the {@code vitrail.*}
 * settings.
 */
final class ModelOptions {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "HuggingFace model directory (config.json, *.safetensors, optional preprocessor_config.json).")
  Path model;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Name clients use for the model (default: the directory name).")
  String name;

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

  /** The runtime settings with these options over application.conf and the defaults. */
  RuntimeSettings settings() {
    return RuntimeSettings.from(config(Map.of()));
  }

  /** These options and {@code extra} (e.g. cluster options) over application.conf. */
  Config config(Map<String, Object> extra) {
    Map<String, Object> overrides = new HashMap<>(extra);
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
    if (blasThreads != null) {
      requirePositive("--blas-threads", blasThreads);
      overrides.put("vitrail.workers.blas-threads", blasThreads);
    }
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load());
  }

  /** Validates the model directory and starts its workers. */
  ServedModel open() {
    return ServedModel.open(model, name, settings());
  }

  /** Validates the model directory and starts its workers, with {@code extra} settings. */
  ServedModel open(Map<String, Object> extra) {
    Config config = config(extra);
    return ServedModel.open(model, name, RuntimeSettings.from(config), config);
  }

  private static void requirePositive(String option, int value) {
    if (value < 1) {
      throw new CliException(option + " must be >= 1, got " + value);
    }
  }
}
