package dev.vitrail.runtime.api;

import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.nio.file.Path;
import java.util.List;

/** Encoder factories opening real libtorch towers from a HuggingFace model directory. */
public final class LibtorchTowers {
  private static boolean threadsConfigured;

  private LibtorchTowers() {}

  /**
   * Every worker opens the model in {@code modelDir} on the device its index picks from
   * {@code devices}. libtorch's pools are set once per JVM to {@code torchThreads} intra-op threads
   * and one OpenBLAS thread (libtorch allows its inter-op pool to be sized only once).
   */
  public static EncoderFactory of(Path modelDir, List<String> devices, String computeDtype, int torchThreads) {
    return worker -> {
      configureOnce(torchThreads);
      return FeatureEncoders.open(modelDir, new EncoderOptions(devices.get(worker), computeDtype, null));
    };
  }

  /** Sets libtorch's pools once per JVM (later calls keep the first setting). */
  public static synchronized void configureOnce(int torchThreads) {
    if (!threadsConfigured) {
      NativeTorch.configureThreads(torchThreads, 1);
      threadsConfigured = true;
    }
  }
}
