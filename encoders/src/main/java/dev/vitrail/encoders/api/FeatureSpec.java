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
 */
public record FeatureSpec(
    List<Integer> selectLayers, String strategy, boolean postLayerNorm, boolean pooled) {
  public FeatureSpec {
    selectLayers = List.copyOf(selectLayers);
  }

  /**
   * The family's default features: last layer, default strategy, post-norm where vLLM applies it.
   */
  public static FeatureSpec defaults() {
    return new FeatureSpec(List.of(), null, true, false);
  }
}
