package dev.vitrail.config.hf;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Qwen2.5-VL vision tower settings ({@code Qwen2_5_VLVisionConfig}, the {@code vision_config} of a
 * {@code qwen2_5_vl} checkpoint); defaults are HuggingFace's.
 */
public record Qwen25VisionConfig(
    int depth,
    int hiddenSize,
    int intermediateSize,
    int numHeads,
    int inChannels,
    int outHiddenSize,
    int patchSize,
    int spatialMergeSize,
    int temporalPatchSize,
    int windowSize,
    int[] fullattBlockIndexes,
    String hiddenAct,
    int tokensPerSecond)
    implements QwenVisionConfig {

  public Qwen25VisionConfig {
    QwenVisionConfig.requirePositive(
        depth, hiddenSize, numHeads, patchSize, spatialMergeSize, temporalPatchSize);
    if (hiddenSize % numHeads != 0) {
      throw new InvalidConfigException(
          "hidden_size " + hiddenSize + " is not divisible by num_heads " + numHeads);
    }
    fullattBlockIndexes = fullattBlockIndexes.clone();
  }

  public static Qwen25VisionConfig fromJson(JsonNode n) {
    return new Qwen25VisionConfig(
        JsonFields.intOr(n, "depth", 32),
        JsonFields.intOr(n, "hidden_size", 3584),
        JsonFields.intOr(n, "intermediate_size", 3420),
        JsonFields.intOr(n, "num_heads", 16),
        JsonFields.intOr(n, "in_channels", JsonFields.intOr(n, "in_chans", 3)),
        JsonFields.intOr(n, "out_hidden_size", 3584),
        JsonFields.intOr(n, "patch_size", JsonFields.intOr(n, "spatial_patch_size", 14)),
        JsonFields.intOr(n, "spatial_merge_size", 2),
        JsonFields.intOr(n, "temporal_patch_size", 2),
        JsonFields.intOr(n, "window_size", 112),
        JsonFields.intsOr(n, "fullatt_block_indexes", new int[] {7, 15, 23, 31}),
        JsonFields.stringOr(n, "hidden_act", "silu"),
        JsonFields.intOr(n, "tokens_per_second", 4));
  }

  @Override
  public String family() {
    return "qwen2_5_vl";
  }

  @Override
  public int[] fullattBlockIndexes() {
    return fullattBlockIndexes.clone();
  }
}
