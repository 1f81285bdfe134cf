package dev.vitrail.encoders;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.UnsupportedModelException;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.clip.ClipVisionTower;
import dev.vitrail.encoders.qwen25vl.Qwen25FeatureEncoder;
import dev.vitrail.encoders.qwen25vl.Qwen25VisionTower;
import dev.vitrail.encoders.siglip.SiglipVisionTower;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.tower.FixedSizeFeatureEncoder;
import dev.vitrail.encoders.tower.VisionTower;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.WeightMap;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.global.torch;

/**
 * Opens the feature encoder of a HuggingFace model directory, family chosen by {@code config.json}.
 */
public final class FeatureEncoders {
  /** The families {@link #open} serves. */
  public static final List<String> SUPPORTED = List.of("clip", "siglip", "qwen2_5_vl");

  private FeatureEncoders() {}

  /**
   * Reads {@code config.json}, maps the checkpoint and loads the tower on the options' device and
   * compute dtype. The checkpoint files are unmapped once the weights are owned by the tower.
   */
  public static FeatureEncoder open(Path modelDir, EncoderOptions options) {
    VisionConfig config = HfConfigs.read(modelDir);
    NativeTorch.load();
    ComputeTarget target = ComputeTarget.of(options);
    try (Checkpoint checkpoint = Checkpoint.open(modelDir)) {
      if (config instanceof Qwen25VisionConfig q) {
        WeightMap w = WeightMap.bind(checkpoint, target, Qwen25VisionTower.PREFIXES);
        return new Qwen25FeatureEncoder(Qwen25VisionTower.create(q, w));
      }
      return new FixedSizeFeatureEncoder(loadTower(checkpoint, config, target));
    } finally {
      if (target.isCpu() && target.dtype() != torch.ScalarType.Float
          || target.linearKernel() != LinearKernel.DENSE) {
        NativeTorch.trimHeap(); // converted weights left float32 temporaries behind
      }
    }
  }

  /** Loads a fixed-size tower (CLIP or SigLIP) from an open checkpoint. */
  public static VisionTower loadTower(
      Checkpoint checkpoint, VisionConfig config, ComputeTarget target) {
    NativeTorch.load();
    if (config instanceof ClipVisionConfig c) {
      return ClipVisionTower.load(WeightMap.bind(checkpoint, target, ClipVisionTower.PREFIX), c);
    }
    if (config instanceof SiglipVisionConfig c) {
      return SiglipVisionTower.load(
          WeightMap.bind(checkpoint, target, SiglipVisionTower.PREFIX), c);
    }
    throw new UnsupportedModelException(config.family(), SUPPORTED);
  }
}
