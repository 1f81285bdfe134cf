package dev.vitrail.config.hf;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kimi K2.5 MoonViT settings ({@code vision_config} of a {@code kimi_k25} checkpoint). Each size is
 * read from transformers' field name when present, else from the published ({@code vt_*}, {@code
 * init_pos_emb_*}) name, else the published full-size default, as vLLM's config class does.
 *
 * @param mergeKernel {@code merge_kernel_size} (rows, columns)
 * @param textHiddenSize the projector's output width ({@code text_hidden_size}, else {@code
 *     text_config.hidden_size} of the top level)
 */
public record KimiK25VisionConfig(
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int patchSize,
    int posEmbHeight,
    int posEmbWidth,
    int posEmbTime,
    int[] mergeKernel,
    String mergeType,
    double projectorLnEps,
    int textHiddenSize)
    implements VisionConfig {

  public KimiK25VisionConfig {
    VitShape.requirePositive(hiddenSize, numAttentionHeads, patchSize, posEmbHeight);
    if (mergeKernel.length != 2 || mergeKernel[0] <= 0 || mergeKernel[1] <= 0) {
      throw new InvalidConfigException("merge_kernel_size must be two positive ints");
    }
    if (!"sd2_tpool".equals(mergeType)) {
      throw new InvalidConfigException(
          "kimi_k25 merge_type '" + mergeType + "' is not supported (only sd2_tpool)");
    }
    if (hiddenSize % numAttentionHeads != 0 || (hiddenSize / numAttentionHeads) % 4 != 0) {
      throw new InvalidConfigException(
          "hidden_size / num_attention_heads must be a multiple of 4 for the 2D rotary");
    }
    mergeKernel = mergeKernel.clone();
  }

  @Override
  public int[] mergeKernel() {
    return mergeKernel.clone();
  }

  /** Reads the top-level {@code config.json} of a {@code kimi_k25} checkpoint. */
  public static KimiK25VisionConfig fromJson(JsonNode root, JsonNode v) {
    JsonNode mk = v.get("merge_kernel_size");
    int[] kernel = {2, 2};
    if (mk != null && mk.isArray() && mk.size() == 2) {
      kernel = new int[] {mk.get(0).asInt(), mk.get(1).asInt()};
    }
    int text =
        JsonFields.intOr(
            v, "text_hidden_size", JsonFields.intOr(root.path("text_config"), "hidden_size", 7168));
    return new KimiK25VisionConfig(
        either(v, "hidden_size", "vt_hidden_size", 1152),
        either(v, "intermediate_size", "vt_intermediate_size", 4304),
        either(v, "num_hidden_layers", "vt_num_hidden_layers", 27),
        either(v, "num_attention_heads", "vt_num_attention_heads", 16),
        JsonFields.intOr(v, "patch_size", 14),
        either(v, "pos_emb_height", "init_pos_emb_height", 64),
        either(v, "pos_emb_width", "init_pos_emb_width", 64),
        either(v, "pos_emb_time", "init_pos_emb_time", 4),
        kernel,
        JsonFields.stringOr(v, "merge_type", "sd2_tpool"),
        JsonFields.doubleOr(
            v, "projector_ln_eps", JsonFields.doubleOr(root, "projection_layer_norm_eps", 1e-5)),
        text);
  }

  private static int either(JsonNode n, String hfName, String publishedName, int fallback) {
    return JsonFields.intOr(n, hfName, JsonFields.intOr(n, publishedName, fallback));
  }

  /** Channels per attention head. */
  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  /** Patches merged into one output token ({@code kh * kw}). */
  public int mergeFactor() {
    return mergeKernel[0] * mergeKernel[1];
  }

  @Override
  public String family() {
    return "kimi_k25";
  }
}
