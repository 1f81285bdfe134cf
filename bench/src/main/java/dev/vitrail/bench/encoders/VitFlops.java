package dev.vitrail.bench.encoders;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;

/**
 * Multiply-add FLOPs (2 per MAC) of one image through a CLIP/SigLIP tower, GEMMs and attention
 * only.
 */
final class VitFlops {
  private VitFlops() {}

  static double perImage(VisionConfig config) {
    if (config instanceof ClipVisionConfig c) {
      return count(
          c.imageSize(),
          c.patchSize(),
          c.numChannels(),
          c.hiddenSize(),
          c.intermediateSize(),
          c.numHiddenLayers(),
          true);
    }
    if (config instanceof SiglipVisionConfig c) {
      return count(
          c.imageSize(),
          c.patchSize(),
          c.numChannels(),
          c.hiddenSize(),
          c.intermediateSize(),
          c.numHiddenLayers(),
          false);
    }
    throw new IllegalArgumentException("no FLOP count for " + config.family());
  }

  private static double count(
      int image, int patch, int channels, double d, double inner, int layers, boolean cls) {
    double patches = Math.pow((double) image / patch, 2);
    double n = patches + (cls ? 1 : 0);
    double embed = 2 * patches * channels * patch * patch * d;
    double projections = 2 * n * 4 * d * d;
    double attention = 2 * 2 * n * n * d;
    double mlp = 2 * 2 * n * d * inner;
    return embed + layers * (projections + attention + mlp);
  }
}
