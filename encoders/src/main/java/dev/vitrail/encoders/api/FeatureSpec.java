package dev.vitrail.encoders.api;

import java.util.List;

/**
 * Which features a caller wants out of a tower, as vLLM's {@code resolve_visual_encoder_outputs}.
 *
 * @param selectLayers hidden-state indices to concatenate (negative from the end); empty means the
 *     tower's default output
 * @param strategy {@code "class"}, {@code "default"}, {@code "full"}, or null for the family
 *     default
 * @param postLayerNorm apply the tower's post-layernorm when the last selected layer is the last
 *     one
 * @param pooled return the tower's pooled output instead (CLIP class token, SigLIP head)
 * @param projected return the language-model-ready embeddings instead: the checkpoint's multimodal
 *     projector applied to the features vLLM feeds it (LLaVA {@code multi_modal_projector}, Kimi
 *     {@code mm_projector}; for Qwen2.5-VL / Qwen3-VL the default output already is that, merger
 *     and deepstack included). Families without a projector refuse it.
 */
public record FeatureSpec(
    List<Integer> selectLayers,
    String strategy,
    boolean postLayerNorm,
    boolean pooled,
    boolean projected) {
  public FeatureSpec {
    selectLayers = List.copyOf(selectLayers);
    if (projected && (pooled || !selectLayers.isEmpty() || strategy != null)) {
      throw new IllegalArgumentException(
          "projected embeddings take no pooled, select_layers or feature_select_strategy:"
              + " the projector's input is fixed by the checkpoint's config");
    }
  }

  /** A spec of tower features (not projected). */
  public FeatureSpec(
      List<Integer> selectLayers, String strategy, boolean postLayerNorm, boolean pooled) {
    this(selectLayers, strategy, postLayerNorm, pooled, false);
  }

  /**
   * The family's default features: last layer, default strategy, post-norm where vLLM applies it.
   */
  public static FeatureSpec defaults() {
    return new FeatureSpec(List.of(), null, true, false);
  }

  /**
   * The language-model-ready embeddings: the checkpoint's projector output (see {@code projected}).
   */
  public static FeatureSpec lmEmbeddings() {
    return new FeatureSpec(List.of(), null, true, false, true);
  }
}
