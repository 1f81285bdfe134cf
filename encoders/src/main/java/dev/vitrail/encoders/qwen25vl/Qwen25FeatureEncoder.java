package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.tower.PackedRows;
import dev.vitrail.encoders.tower.PatchFeatures;
import dev.vitrail.encoders.tower.PatchRowFeatureEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FeatureEncoder} over the Qwen2.5-VL tower: concatenates the patch rows of the batch (one
 * attention segment set per input), runs the tower once and splits the result per input.
 *
 * <p>Default features are the merged embeddings ({@code t*h*w / merge^2} rows of {@code
 * out_hidden_size} per input), what vLLM's tower returns. With {@code selectLayers} the hidden
 * states (processor order, {@code t*h*w} rows of {@code hidden_size}) are resolved as vLLM's {@code
 * resolve_visual_encoder_outputs} with no post-norm; only the {@code full} strategy applies, since
 * the tower has no class token.
 */
public final class Qwen25FeatureEncoder extends PatchRowFeatureEncoder {
  private final Qwen25VisionTower tower;

  /** Takes ownership of {@code tower}. */
  public Qwen25FeatureEncoder(Qwen25VisionTower tower) {
    this.tower = tower;
  }

  @Override
  public String family() {
    return "qwen2_5_vl";
  }

  @Override
  protected int patchRowWidth() {
    return tower.config().patchRowWidth();
  }

  @Override
  protected List<FeatureOutput> encode(PackedRows packed, FeatureSpec spec) {
    List<GridThw> grids = packed.grids().stream().map(GridThw::of).toList();
    boolean layers = !spec.selectLayers().isEmpty();
    Qwen25Output out = tower.forward(packed.pixels(), grids, layers);
    if (!layers) {
      int unit = tower.config().spatialMergeSize() * tower.config().spatialMergeSize();
      return packed.split(out.embeds(), unit, tower.config().outHiddenSize());
    }
    List<float[]> states = new ArrayList<>();
    for (int i = 0; i <= tower.config().depth(); i++) {
      states.add(out.hiddenState(i, false));
    }
    int hidden = tower.config().hiddenSize();
    return packed.split(
        PatchFeatures.selectLayers(states, packed.rows(), hidden, tower.config().depth(), spec),
        1,
        0);
  }

  @Override
  public void close() {
    tower.close();
  }
}
