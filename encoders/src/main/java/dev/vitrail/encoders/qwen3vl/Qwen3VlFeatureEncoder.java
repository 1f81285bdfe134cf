package dev.vitrail.encoders.qwen3vl;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.tower.PackedRows;
import dev.vitrail.encoders.tower.PatchFeatures;
import dev.vitrail.encoders.tower.PatchRowFeatureEncoder;
import java.util.List;

/**
 * A {@link FeatureEncoder} over the Qwen3-VL tower: the patch rows of the batch in one call, split
 * per input. Default features are what vLLM's Qwen3-VL tower returns: the merged embeddings with
 * every deepstack feature concatenated on the last axis ({@code t·h·w / m²} rows of {@code
 * out_hidden · (1 + deepstack)}). With {@code selectLayers} the hidden states ({@code t·h·w} rows)
 * are resolved as vLLM's {@code resolve_visual_encoder_outputs}; only {@code full} applies.
 */
public final class Qwen3VlFeatureEncoder extends PatchRowFeatureEncoder {
  private final Qwen3VlVisionTower tower;

  /** Takes ownership of {@code tower}. */
  public Qwen3VlFeatureEncoder(Qwen3VlVisionTower tower) {
    this.tower = tower;
  }

  @Override
  public String family() {
    return "qwen3_vl";
  }

  @Override
  protected int patchRowWidth() {
    return tower.config().patchRowWidth();
  }

  @Override
  protected List<FeatureOutput> encode(PackedRows packed, FeatureSpec spec) {
    boolean layers = !spec.selectLayers().isEmpty();
    Qwen3VlOutput out = tower.forward(packed.pixels(), packed.grids(), layers);
    int outHidden = tower.config().outHiddenSize();
    if (!layers) {
      int unit = tower.config().spatialMergeSize() * tower.config().spatialMergeSize();
      int width = outHidden * (1 + out.deepstack().size());
      return packed.split(out.withDeepstack(outHidden), unit, width);
    }
    int hidden = tower.config().hiddenSize();
    return packed.split(
        PatchFeatures.selectLayers(
            out.hiddenStates(), packed.rows(), hidden, tower.config().depth(), spec),
        1,
        0);
  }

  @Override
  public void close() {
    tower.close();
  }
}
