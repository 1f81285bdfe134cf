package dev.vitrail.runtime.api;

import dev.vitrail.actors.worker.CoreGate;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.config.settings.WorkerLayout;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.split.TowerSplit;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.nio.file.Path;
import java.util.List;

/** Encoder factories opening real libtorch towers from a HuggingFace model directory. */
public final class LibtorchTowers {
  private LibtorchTowers() {}

  /**
   * Starts loading the libtorch natives on a background thread (see {@link
   * NativeTorch#loadInBackground}); a command that will open a tower calls it first thing.
   */
  public static void preload() {
    NativeTorch.loadInBackground();
  }

  /**
   * Every worker opens the model in {@code modelDir} on the device its index picks from {@code
   * devices}, after setting the process's pools to {@code torchThreads} libtorch intra-op threads
   * and {@code blasThreads} OpenBLAS threads.
   */
  public static EncoderFactory of(
      Path modelDir, List<String> devices, String computeDtype, int torchThreads, int blasThreads) {
    return worker -> {
      configureThreads(torchThreads, blasThreads);
      return FeatureEncoders.open(
          modelDir, new EncoderOptions(devices.get(worker), computeDtype, null));
    };
  }

  /**
   * Chooses the BLAS library ({@code vitrail.workers.blas}: {@code auto}, {@code openblas}, {@code
   * mkl}) before the first tower loads libtorch (see {@link NativeTorch#selectBlas}); without a
   * call, {@code -Dvitrail.workers.blas} or {@code VITRAIL_BLAS} decide, else {@code auto}.
   */
  public static void selectBlas(String blas) {
    NativeTorch.selectBlas(blas);
  }

  /**
   * Applies {@code vitrail.workers.linear-kernel} ({@code auto}, {@code dense}, {@code onednn} or
   * {@code mlas}) to towers opened from now on (see {@link ComputeTarget#selectLinearKernel}).
   */
  public static void selectLinearKernel(String setting) {
    ComputeTarget.selectLinearKernel(setting);
  }

  /**
   * Applies {@code vitrail.workers.tower-split} ({@code auto} or {@code off}) to towers opened from
   * now on (see {@link TowerSplit}).
   */
  public static void selectTowerSplit(String setting) {
    TowerSplit.select(setting);
  }

  /**
   * The core gate the local workers of {@code settings} share: a measuring one for {@code
   * vitrail.workers.layout = auto} on several CPU workers, else {@link CoreGate#none()}.
   */
  public static CoreGate coreGate(RuntimeSettings settings) {
    return SupervisorSettingsMapping.gate(settings);
  }

  /**
   * {@code settings} with the thread pools fitted to the tower {@code config} describes: under
   * {@code layout = one-wide} a float32 CLIP, SigLIP or SigLIP2 tower gets libtorch's pool wide and
   * BLAS at one thread, so that it splits across the cores ({@link
   * WorkerLayout#forSplittableTower}), unless {@code tower-split} is {@code off}; call after {@link
   * #selectTowerSplit}.
   */
  public static RuntimeSettings forTower(RuntimeSettings settings, VisionConfig config) {
    if (!TowerSplit.splits(config)) {
      return settings;
    }
    WorkerLayout.Plan plan =
        new WorkerLayout.Plan(settings.workers(), settings.torchThreads(), settings.blasThreads());
    WorkerLayout.Plan fitted = WorkerLayout.forSplittableTower(settings.layout(), plan);
    return fitted.equals(plan)
        ? settings
        : settings.withThreads(fitted.torchThreads(), fitted.blasThreads());
  }

  /** Sets the process's thread pools (see {@link NativeTorch#configureThreads}). */
  public static void configureThreads(int torchThreads, int blasThreads) {
    NativeTorch.configureThreads(torchThreads, blasThreads);
  }
}
