package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.select.EncoderOutputs;
import dev.vitrail.encoders.select.FeatureSelectStrategy;
import dev.vitrail.encoders.tensor.HostTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

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
public final class Qwen25FeatureEncoder implements FeatureEncoder {
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
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    if (batch.isEmpty()) {
      return List.of();
    }
    if (spec.strategy() != null && !spec.strategy().equals("full")) {
      throw new IllegalArgumentException(
          "qwen2_5_vl has no class token: feature_select_strategy must be 'full' or unset, got '"
              + spec.strategy()
              + "'");
    }
    int width = tower.config().patchRowWidth();
    List<GridThw> grids = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < batch.size(); i++) {
      PixelInput in = batch.get(i);
      if (in.gridThw() == null || in.shape()[1] != width) {
        throw new IllegalArgumentException(
            "qwen2_5_vl input "
                + i
                + " must be patch rows [N, "
                + width
                + "] with grid_thw, got "
                + Arrays.toString(in.shape())
                + (in.gridThw() == null ? " without grid_thw" : ""));
      }
      grids.add(GridThw.of(in.gridThw()));
      total += in.values().length;
    }
    float[] pixels = new float[Math.toIntExact(total)];
    int at = 0;
    for (PixelInput in : batch) {
      System.arraycopy(in.values(), 0, pixels, at, in.values().length);
      at += in.values().length;
    }
    boolean layers = !spec.selectLayers().isEmpty();
    Qwen25Output out = tower.forward(pixels, grids, layers);
    if (!layers) {
      int unit = tower.config().spatialMergeSize() * tower.config().spatialMergeSize();
      return split(out.embeds(), grids, unit, tower.config().outHiddenSize());
    }
    return split(selected(out, spec), grids, 1, -1);
  }

  /** The selected hidden states concatenated on channels, {@code [S, hidden * layers]}. */
  private float[] selected(Qwen25Output out, FeatureSpec spec) {
    int states = tower.config().depth() + 1;
    int s = out.layout().patches();
    int hidden = tower.config().hiddenSize();
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> all = new ArrayList<>();
      for (int i = 0; i < states; i++) {
        all.add(HostTensors.upload(out.hiddenState(i, false), 1, s, hidden));
      }
      int[] picks = spec.selectLayers().stream().mapToInt(Integer::intValue).toArray();
      FeatureSelectStrategy strategy =
          spec.strategy() == null ? null : FeatureSelectStrategy.of(spec.strategy());
      return HostTensors.download(
          EncoderOutputs.resolveLayers(all, null, picks, tower.config().depth(), strategy));
    }
  }

  /** Splits rows per input: input i owns {@code patches_i / rowsPerOutput} rows. */
  private static List<FeatureOutput> split(
      float[] values, List<GridThw> grids, int patchesPerRow, int widthOrMinus1) {
    int rows = 0;
    for (GridThw g : grids) {
      rows += g.patches() / patchesPerRow;
    }
    int width = widthOrMinus1 > 0 ? widthOrMinus1 : values.length / rows;
    List<FeatureOutput> result = new ArrayList<>();
    int at = 0;
    for (GridThw g : grids) {
      int n = g.patches() / patchesPerRow;
      result.add(
          new FeatureOutput(Arrays.copyOfRange(values, at, at + n * width), new int[] {n, width}));
      at += n * width;
    }
    return result;
  }

  @Override
  public void close() {
    tower.close();
  }
}
