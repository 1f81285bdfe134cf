package dev.vitrail.config.hf;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SigLIP2 (naflex) vision tower settings ({@code Siglip2VisionConfig}); defaults are HuggingFace's.
 *
 * @param numPatches rows of the learned square position table (side = its square root)
 */
public record Siglip2VisionConfig(
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numChannels,
    int patchSize,
    int numPatches,
    String hiddenAct,
    double layerNormEps,
    boolean visionUseHead)
    implements VisionConfig {

  public Siglip2VisionConfig {
    JsonFields.requirePositive("hidden_size", hiddenSize);
    JsonFields.requirePositive("num_attention_heads", numAttentionHeads);
    JsonFields.requirePositive("patch_size", patchSize);
    JsonFields.requirePositive("num_patches", numPatches);
    if (hiddenSize % numAttentionHeads != 0) {
      throw new InvalidConfigException(
          "hidden_size " + hiddenSize + " is not divisible by num_attention_heads");
    }
    int side = (int) Math.round(Math.sqrt(numPatches));
    if (side * side != numPatches) {
      throw new InvalidConfigException("num_patches " + numPatches + " is not a square");
    }
  }

  /** Reads the vision section; an absent {@code vision_use_head} means true, as in HuggingFace. */
  public static Siglip2VisionConfig fromJson(JsonNode n) {
    return new Siglip2VisionConfig(
        JsonFields.intOr(n, "hidden_size", 768),
        JsonFields.intOr(n, "intermediate_size", 3072),
        JsonFields.intOr(n, "num_hidden_layers", 12),
        JsonFields.intOr(n, "num_attention_heads", 12),
        JsonFields.intOr(n, "num_channels", 3),
        JsonFields.intOr(n, "patch_size", 16),
        JsonFields.intOr(n, "num_patches", 256),
        JsonFields.stringOr(n, "hidden_act", "gelu_pytorch_tanh"),
        JsonFields.doubleOr(n, "layer_norm_eps", 1e-6),
        JsonFields.boolOr(n, "vision_use_head", true));
  }

  @Override
  public String family() {
    return "siglip2";
  }

  /** Side of the square learned position table. */
  public int positionSide() {
    return (int) Math.round(Math.sqrt(numPatches));
  }

  /** Values per patch row: {@code num_channels · patch · patch}. */
  public int patchRowWidth() {
    return numChannels * patchSize * patchSize;
  }
}
