package dev.vitrail.config.hf;

import com.fasterxml.jackson.databind.JsonNode;

/** SigLIP vision tower settings ({@code SiglipVisionConfig}); defaults are HuggingFace's. */
public record SiglipVisionConfig(
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numChannels,
    int imageSize,
    int patchSize,
    String hiddenAct,
    double layerNormEps,
    boolean visionUseHead)
    implements VisionConfig {

  public SiglipVisionConfig {
    VitShape.requireEvenHeads(hiddenSize, numAttentionHeads, patchSize, imageSize);
  }

  /** Reads the vision section; an absent {@code vision_use_head} means true, as in HuggingFace. */
  public static SiglipVisionConfig fromJson(JsonNode n) {
    return new SiglipVisionConfig(
        JsonFields.intOr(n, "hidden_size", 768),
        JsonFields.intOr(n, "intermediate_size", 3072),
        JsonFields.intOr(n, "num_hidden_layers", 12),
        JsonFields.intOr(n, "num_attention_heads", 12),
        JsonFields.intOr(n, "num_channels", 3),
        JsonFields.intOr(n, "image_size", 224),
        JsonFields.intOr(n, "patch_size", 16),
        JsonFields.stringOr(n, "hidden_act", "gelu_pytorch_tanh"),
        JsonFields.doubleOr(n, "layer_norm_eps", 1e-6),
        JsonFields.boolOr(n, "vision_use_head", true));
  }

  @Override
  public String family() {
    return "siglip";
  }

  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }
}
