package dev.vitrail.encoders.kimi;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tower.PackedRows;
import dev.vitrail.encoders.tower.PatchRowFeatureEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A {@link FeatureEncoder} over MoonViT: patch rows {@code [t·h·w, 3·p·p]} with {@code grid_thw}
 * per input (an image, or a video chunk of t frames), all entries in one packed call. Each input
 * gets what vLLM's Kimi towers return per entry: {@code [h·w/(kh·kw), kh·kw, hidden]} (frames
 * averaged). Layer selection is not offered (vLLM's Kimi path has none). With {@link
 * FeatureSpec#projected()} each entry goes through the checkpoint's {@code mm_projector}: {@code
 * [h·w/(kh·kw), text_hidden]}, what vLLM's Kimi K2.5 model feeds its language model.
 */
public final class KimiFeatureEncoder extends PatchRowFeatureEncoder {
  private final KimiVisionTower tower;
  private final KimiProjector projector;

  /** Takes ownership of {@code tower}; no projector. */
  public KimiFeatureEncoder(KimiVisionTower tower) {
    this(tower, null);
  }

  /** Takes ownership of {@code tower} and {@code projector} (null: none in the checkpoint). */
  public KimiFeatureEncoder(KimiVisionTower tower, KimiProjector projector) {
    this.tower = tower;
    this.projector = projector;
  }

  @Override
  public String family() {
    return "kimi_k25";
  }

  @Override
  protected int patchRowWidth() {
    return tower.patchRowWidth();
  }

  @Override
  protected void check(FeatureSpec spec) {
    if (!spec.selectLayers().isEmpty() || spec.pooled()) {
      throw new IllegalArgumentException(
          "kimi_k25 returns its merged patch embeddings only: no select_layers or pooled output");
    }
    if (spec.projected() && projector == null) {
      throw new IllegalArgumentException(
          "this kimi_k25 checkpoint has no mm_projector: no language-model embeddings");
    }
  }

  @Override
  protected List<FeatureOutput> encode(PackedRows packed, FeatureSpec spec) {
    List<int[]> grids = packed.grids();
    KimiOutput out = tower.forward(packed.pixels(), grids, false);
    int factor = tower.config().mergeFactor();
    int hidden = tower.config().hiddenSize();
    int text = tower.config().textHiddenSize();
    float[] values = spec.projected() ? project(out.merged(), factor, hidden) : out.merged();
    List<FeatureOutput> result = new ArrayList<>();
    int from = 0;
    for (int[] g : grids) {
      int tokens = g[1] * g[2] / factor;
      int n = spec.projected() ? tokens * text : tokens * factor * hidden;
      int[] shape =
          spec.projected() ? new int[] {tokens, text} : new int[] {tokens, factor, hidden};
      result.add(new FeatureOutput(Arrays.copyOfRange(values, from, from + n), shape));
      from += n;
    }
    return result;
  }

  private float[] project(float[] merged, int factor, int hidden) {
    int rows = merged.length / (factor * hidden);
    try (PointerScope scope = new PointerScope()) {
      Tensor x = tower.target().upload(List.of(merged), rows, factor, hidden);
      return HostTensors.download(projector.forward(x));
    }
  }

  @Override
  public void close() {
    try {
      tower.close();
    } finally {
      if (projector != null) {
        projector.close();
      }
    }
  }
}
