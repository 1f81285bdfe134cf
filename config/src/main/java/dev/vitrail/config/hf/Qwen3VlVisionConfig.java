package dev.vitrail.config.hf;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Qwen3-VL vision tower settings ({@code Qwen3VLVisionConfig}, the {@code vision_config} of a
 * {@code qwen3_vl} or {@code qwen3_vl_moe} checkpoint); defaults are HuggingFace's.
 *
 * @param numPositionEmbeddings rows of the learned square position table (side = its square root)
 * @param deepstackVisualIndexes blocks after which a deepstack merger runs, in order
 * @param ropeTheta the vision rotary base ({@code rope_parameters.rope_theta}, default 10000)
 */
public record Qwen3VlVisionConfig(
    int depth,
    int hiddenSize,
    int intermediateSize,
    int numHeads,
    int inChannels,
    int outHiddenSize,
    int patchSize,
    int spatialMergeSize,
    int temporalPatchSize,
    int numPositionEmbeddings,
    int[] deepstackVisualIndexes,
    String hiddenAct,
    double ropeTheta)
    implements QwenVisionConfig {

  public Qwen3VlVisionConfig {
    QwenVisionConfig.requirePositive(
        depth, hiddenSize, numHeads, patchSize, spatialMergeSize, temporalPatchSize);
    JsonFields.requirePositive("num_position_embeddings", numPositionEmbeddings);
    if (hiddenSize % numHeads != 0 || (hiddenSize / numHeads) % 4 != 0) {
      throw new InvalidConfigException(
          "hidden_size / num_heads must be a whole multiple of 4 for the 2D rotary, got "
              + hiddenSize
              + " / "
              + numHeads);
    }
    int side = (int) Math.sqrt(numPositionEmbeddings);
    if (side * side != numPositionEmbeddings) {
      throw new InvalidConfigException(
          "num_position_embeddings " + numPositionEmbeddings + " is not a square");
    }
    for (int i : deepstackVisualIndexes) {
      if (i < 0 || i >= depth) {
        throw new InvalidConfigException(
            "deepstack_visual_indexes entry " + i + " is outside 0.." + (depth - 1));
      }
    }
    deepstackVisualIndexes = deepstackVisualIndexes.clone();
  }

  public static Qwen3VlVisionConfig fromJson(JsonNode n) {
    JsonNode rope = n.get("rope_parameters");
    double theta =
        rope != null && rope.isObject()
            ? JsonFields.doubleOr(rope, "rope_theta", 10000.0)
            : 10000.0;
    return new Qwen3VlVisionConfig(
        JsonFields.intOr(n, "depth", 27),
        JsonFields.intOr(n, "hidden_size", 1152),
        JsonFields.intOr(n, "intermediate_size", 4304),
        JsonFields.intOr(n, "num_heads", 16),
        JsonFields.intOr(n, "in_channels", 3),
        JsonFields.intOr(n, "out_hidden_size", 3584),
        JsonFields.intOr(n, "patch_size", 16),
        JsonFields.intOr(n, "spatial_merge_size", 2),
        JsonFields.intOr(n, "temporal_patch_size", 2),
        JsonFields.intOr(n, "num_position_embeddings", 2304),
        JsonFields.intsOr(n, "deepstack_visual_indexes", new int[] {8, 16, 24}),
        JsonFields.stringOr(n, "hidden_act", "gelu_pytorch_tanh"),
        theta);
  }

  @Override
  public String family() {
    return "qwen3_vl";
  }

  @Override
  public int[] deepstackVisualIndexes() {
    return deepstackVisualIndexes.clone();
  }

  /** Side of the square learned position table. */
  public int positionSide() {
    return (int) Math.round(Math.sqrt(numPositionEmbeddings));
  }
}
