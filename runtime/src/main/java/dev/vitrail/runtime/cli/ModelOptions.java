package dev.vitrail.runtime.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.runtime.model.ModelList;
import dev.vitrail.runtime.model.ServedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every model-running command shares; unset ones come from the {@code vitrail.*}
 * settings.
 */
final class ModelOptions {
  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "HuggingFace model directory (config.json, *.safetensors, optional"
              + " preprocessor_config.json); serve takes it repeated, one per model. No default:"
              + " required, except that serve reads the vitrail.models list without it.")
  List<Path> models = new ArrayList<>();

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "Name clients use for the model (default: the directory name); repeated with"
              + " --model, in the same order.")
  List<String> names = new ArrayList<>();

  /** The worker options (count, batch, threads, BLAS, compute mode, layout). */
  @Mixin WorkerOptions workerOptions = new WorkerOptions();

  /** The runtime settings with these options over application.conf and the defaults. */
  RuntimeSettings settings() {
    return RuntimeSettings.from(config(Map.of()));
  }

  /** These options and {@code extra} (e.g. cluster options) over application.conf. */
  Config config(Map<String, Object> extra) {
    ConfigFactory.invalidateCaches();
    return config(extra, ConfigFactory.load());
  }

  /** These options and {@code extra} over {@code base}. */
  private Config config(Map<String, Object> extra, Config base) {
    Map<String, Object> overrides = new HashMap<>(extra);
    workerOptions.override(overrides);
    return ConfigFactory.parseMap(overrides).withFallback(base);
  }

  /** The one model directory this command takes. */
  Path dir() {
    if (models.size() != 1) {
      throw new CliException(
          models.isEmpty()
              ? "--model DIR is required"
              : "--model: this command takes one model, got " + models.size());
    }
    if (names.size() > 1) {
      throw new CliException("--name: one name for the one model, got " + names.size());
    }
    return models.get(0);
  }

  private String name() {
    return names.isEmpty() ? null : names.get(0);
  }

  /** Validates the model directory and starts its workers. */
  ServedModel open() {
    return ServedModel.open(dir(), name(), settings());
  }

  /** Validates the model directory and starts its workers, with {@code extra} settings. */
  ServedModel open(Map<String, Object> extra) {
    Config config = config(extra);
    return ServedModel.open(dir(), name(), RuntimeSettings.from(config), config);
  }

  /**
   * The models to serve: each {@code --model} (named by the {@code --name} in the same position),
   * else the {@code vitrail.models} list, each with these options over its settings. Models already
   * started are closed when a later one fails.
   */
  List<ServedModel> openAll(Map<String, Object> extra) {
    Config config = config(extra);
    List<ModelList.Spec> specs = new ArrayList<>();
    if (!names.isEmpty() && names.size() != models.size()) {
      throw new CliException(
          "--name: give one per --model, in the same order ("
              + models.size()
              + " models, "
              + names.size()
              + " names)");
    }
    for (int i = 0; i < models.size(); i++) {
      specs.add(new ModelList.Spec(models.get(i), names.isEmpty() ? null : names.get(i), config));
    }
    if (specs.isEmpty()) {
      for (ModelList.Spec s : ModelList.from(config)) {
        // The command-line options win over each model's own settings too.
        specs.add(new ModelList.Spec(s.dir(), s.name(), config(extra, s.config())));
      }
    }
    if (specs.isEmpty()) {
      throw new CliException("--model DIR is required (or a vitrail.models list in the settings)");
    }
    if (specs.size() > 1 && RuntimeSettings.from(config).clusterEnabled()) {
      throw new CliException("a cluster supervisor serves one model; give one --model");
    }
    List<ServedModel> opened = new ArrayList<>();
    try {
      for (ModelList.Spec s : specs) {
        opened.add(
            ServedModel.open(s.dir(), s.name(), RuntimeSettings.from(s.config()), s.config()));
      }
    } catch (RuntimeException e) {
      opened.forEach(ServedModel::close);
      throw e;
    }
    return opened;
  }
}
