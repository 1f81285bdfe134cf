package dev.vitrail.config.hf;

import com.fasterxml.jackson.databind.JsonNode;

/** CLIP vision tower settings ({@code CLIPVisionConfig}); defaults are HuggingFace's. */
public record ClipVisionConfig(
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numChannels,
    int imageSize,
    int patchSize,
    String hiddenAct,
    double layerNormEps)
    implements VisionConfig {

  public ClipVisionConfig {
    VitShape.requireEvenHeads(hiddenSize, numAttentionHeads, patchSize, imageSize);
  }

  /** Reads the vision section (a {@code clip_vision_model} file or {@code vision_config}). */
  public static ClipVisionConfig fromJson(JsonNode n) {
    return new ClipVisionConfig(
        JsonFields.intOr(n, "hidden_size", 768),
        JsonFields.intOr(n, "intermediate_size", 3072),
        JsonFields.intOr(n, "num_hidden_layers", 12),
        JsonFields.intOr(n, "num_attention_heads", 12),
        JsonFields.intOr(n, "num_channels", 3),
        JsonFields.intOr(n, "image_size", 224),
        JsonFields.intOr(n, "patch_size", 32),
        JsonFields.stringOr(n, "hidden_act", "quick_gelu"),
        JsonFields.doubleOr(n, "layer_norm_eps", 1e-5));
  }

  @Override
  public String family() {
    return "clip";
  }

  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }
}
