package dev.vitrail.runtime.model;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.encoders.tensor.DevicePlacement;
import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.api.Vitrail;
import dev.vitrail.runtime.dedupe.DedupeSettings;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A HuggingFace model directory ({@code config.json}, {@code *.safetensors}, optionally {@code
 * preprocessor_config.json}) running in a {@link Vitrail}: the served name, the vision config, the
 * matching image processor and the runtime. {@link #close()} drains and stops the runtime.
 *
 * @param name the name clients use for the model (the directory name by default)
 * @param dir the model directory
 * @param config its vision config
 * @param processor the image processor for its family and preprocessor settings
 * @param vitrail the running workers
 */
public record ServedModel(
    String name, Path dir, VisionConfig config, ImageProcessor processor, Vitrail vitrail)
    implements AutoCloseable {
  /**
   * Validates {@code dir} by reading its config and loading the tower once on this thread (so a bad
   * checkpoint is a clear error here, not a restart loop in a worker), then starts the workers.
   *
   * @param name the served name, or null for the directory's name
   * @throws InvalidModelException naming the directory and what is wrong
   */
  public static ServedModel open(Path dir, String name, RuntimeSettings requested) {
    return open(dir, name, requested, ConfigFactory.load());
  }

  /**
   * As {@link #open(Path, String, RuntimeSettings)}, with {@code cluster}'s {@code vitrail.cluster}
   * block describing the cluster when {@code settings.clusterEnabled()}; remote workers must serve
   * the same model ({@link ModelFingerprint}).
   */
  public static ServedModel open(Path dir, String name, RuntimeSettings requested, Config cluster) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new InvalidModelException("model directory does not exist: " + abs, null);
    }
    VisionConfig config;
    ImageProcessor processor;
    RuntimeSettings settings;
    try {
      config = HfConfigs.read(abs);
      LibtorchTowers.selectBlas(requested.blas()); // before the device probe loads libtorch
      LibtorchTowers.selectTowerSplit(requested.towerSplit());
      LibtorchTowers.selectLinearKernel(requested.linearKernel());
      // devices = auto: CUDA devices, else CPU; one-wide splits a CLIP/SigLIP tower
      settings = LibtorchTowers.forTower(DevicePlacement.place(requested), config);
      processor = ImageProcessors.forModel(abs);
      LibtorchTowers.configureThreads(settings.torchThreads(), settings.blasThreads());
      EncoderOptions probe =
          new EncoderOptions(settings.devices().get(0), settings.computeDtype(), null);
      try (FeatureEncoder tower = FeatureEncoders.open(abs, probe)) {
        tower.family();
      }
    } catch (RuntimeException e) {
      throw new InvalidModelException(
          "cannot serve the model at " + abs + ": " + e.getMessage(), e);
    }
    String fingerprint =
        settings.clusterEnabled() ? ModelFingerprint.of(abs, settings.computeDtype()) : "";
    Vitrail vitrail =
        Vitrail.start(
            settings,
            LibtorchTowers.of(
                abs,
                settings.devices(),
                settings.computeDtype(),
                settings.torchThreads(),
                settings.blasThreads()),
            processor::process,
            cluster,
            fingerprint,
            new ImageDedupe(
                DedupeSettings.from(cluster.withFallback(ConfigFactory.load())),
                dedupeIdentity(abs, settings, processor)));
    String served = name != null && !name.isBlank() ? name : abs.getFileName().toString();
    return new ServedModel(served, abs, config, processor, vitrail);
  }

  /**
   * What the dedupe caches key a model by: its directory, compute dtype and the processor's class
   * (the processor's settings come from the directory).
   */
  public static String dedupeIdentity(
      Path dir, RuntimeSettings settings, ImageProcessor processor) {
    return dir + "|" + settings.computeDtype() + "|" + processor.getClass().getName();
  }

  /** Drains the work in flight and stops the workers. */
  @Override
  public void close() {
    vitrail.close();
  }
}
