package dev.vitrail.config.hf;

import com.fasterxml.jackson.databind.JsonNode;

/** Pixtral vision tower settings ({@code PixtralVisionConfig}); defaults are HuggingFace's. */
public record PixtralVisionConfig(
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numChannels,
    int imageSize,
    int patchSize,
    int headDim,
    String hiddenAct,
    double ropeTheta)
    implements VisionConfig {

  public PixtralVisionConfig {
    VitShape.requirePositive(hiddenSize, numAttentionHeads, patchSize, imageSize);
  }

  public static PixtralVisionConfig fromJson(JsonNode n) {
    int hidden = JsonFields.intOr(n, "hidden_size", 1024);
    int heads = JsonFields.intOr(n, "num_attention_heads", 16);
    return new PixtralVisionConfig(
        hidden,
        JsonFields.intOr(n, "intermediate_size", 4096),
        JsonFields.intOr(n, "num_hidden_layers", 24),
        heads,
        JsonFields.intOr(n, "num_channels", 3),
        JsonFields.intOr(n, "image_size", 1024),
        JsonFields.intOr(n, "patch_size", 16),
        // transformers recomputes head_dim as hidden_size / num_attention_heads
        heads > 0 ? hidden / heads : 0,
        JsonFields.stringOr(n, "hidden_act", "gelu"),
        ropeTheta(n));
  }

  /** {@code rope_theta}, or transformers 5's {@code rope_parameters.rope_theta}. */
  private static double ropeTheta(JsonNode n) {
    JsonNode params = n.get("rope_parameters");
    if (!n.has("rope_theta") && params != null && params.isObject()) {
      return JsonFields.doubleOr(params, "rope_theta", 10000.0);
    }
    return JsonFields.doubleOr(n, "rope_theta", 10000.0);
  }

  @Override
  public String family() {
    return "pixtral";
  }
}
