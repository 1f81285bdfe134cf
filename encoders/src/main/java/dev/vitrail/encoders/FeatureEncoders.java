package dev.vitrail.encoders;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.config.hf.Siglip2VisionConfig;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.UnsupportedModelException;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.clip.ClipVisionTower;
import dev.vitrail.encoders.kimi.KimiFeatureEncoder;
import dev.vitrail.encoders.kimi.KimiProjector;
import dev.vitrail.encoders.kimi.KimiVisionTower;
import dev.vitrail.encoders.pixtral.LlavaHead;
import dev.vitrail.encoders.pixtral.PixtralFeatureEncoder;
import dev.vitrail.encoders.pixtral.PixtralVisionTower;
import dev.vitrail.encoders.qwen25vl.Qwen25FeatureEncoder;
import dev.vitrail.encoders.qwen25vl.Qwen25VisionTower;
import dev.vitrail.encoders.qwen3vl.Qwen3VlFeatureEncoder;
import dev.vitrail.encoders.qwen3vl.Qwen3VlVisionTower;
import dev.vitrail.encoders.siglip.SiglipVisionTower;
import dev.vitrail.encoders.siglip2.Siglip2FeatureEncoder;
import dev.vitrail.encoders.siglip2.Siglip2VisionTower;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.CudaSupport;
import dev.vitrail.encoders.tensor.CudaWorkerEncoder;
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
  public static final List<String> SUPPORTED =
      List.of("clip", "siglip", "qwen2_5_vl", "pixtral", "kimi_k25", "qwen3_vl", "siglip2");

  private FeatureEncoders() {}

  /**
   * Reads {@code config.json}, maps the checkpoint and loads the tower on the options' device and
   * compute dtype. The checkpoint files are unmapped once the weights are owned by the tower.
   */
  public static FeatureEncoder open(Path modelDir, EncoderOptions options) {
    VisionConfig config = HfConfigs.read(modelDir);
    NativeTorch.load();
    ComputeTarget target = ComputeTarget.of(options);
    if (!target.isCpu()) {
      // This thread (the worker's tower thread) gets its own stream before any weight is copied.
      CudaSupport.require().bindWorkerStream(target.cudaIndex());
      return new CudaWorkerEncoder(load(modelDir, config, target), CudaSupport.require());
    }
    return load(modelDir, config, target);
  }

  private static FeatureEncoder load(Path modelDir, VisionConfig config, ComputeTarget target) {
    try (Checkpoint checkpoint = Checkpoint.open(modelDir)) {
      if (config instanceof Qwen25VisionConfig q) {
        WeightMap w = WeightMap.bind(checkpoint, target, Qwen25VisionTower.PREFIXES);
        return new Qwen25FeatureEncoder(Qwen25VisionTower.create(q, w));
      }
      if (config instanceof Siglip2VisionConfig s) {
        WeightMap w = WeightMap.bind(checkpoint, target, Siglip2VisionTower.PREFIXES);
        return new Siglip2FeatureEncoder(Siglip2VisionTower.create(s, w));
      }
      if (config instanceof Qwen3VlVisionConfig q) {
        WeightMap w = WeightMap.bind(checkpoint, target, Qwen3VlVisionTower.PREFIXES);
        return new Qwen3VlFeatureEncoder(Qwen3VlVisionTower.create(q, w));
      }
      if (config instanceof KimiK25VisionConfig k) {
        WeightMap w = WeightMap.bind(checkpoint, target, KimiVisionTower.PREFIXES);
        KimiVisionTower tower = KimiVisionTower.create(k, w);
        try {
          boolean projector =
              checkpoint.keys().stream().anyMatch(n -> n.startsWith(KimiProjector.PREFIXES[0]));
          return new KimiFeatureEncoder(
              tower,
              projector
                  ? KimiProjector.load(
                      k, WeightMap.bind(checkpoint, target, KimiProjector.PREFIXES))
                  : null);
        } catch (RuntimeException e) {
          tower.close();
          throw e;
        }
      }
      if (config instanceof PixtralVisionConfig p) {
        WeightMap w = WeightMap.bind(checkpoint, target, PixtralVisionTower.PREFIXES);
        PixtralVisionTower tower = PixtralVisionTower.create(p, w);
        try {
          return new PixtralFeatureEncoder(
              tower, LlavaHead.load(modelDir, checkpoint, target, p.hiddenSize()));
        } catch (RuntimeException e) {
          tower.close();
          throw e;
        }
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
