package dev.vitrail.encoders.qwen3vl;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.select.EncoderOutputs;
import dev.vitrail.encoders.tensor.HostTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A {@link FeatureEncoder} over the Qwen3-VL tower: the patch rows of the batch in one call, split
 * per input. Default features are what vLLM's Qwen3-VL tower returns: the merged embeddings with
 * every deepstack feature concatenated on the last axis ({@code t·h·w / m²} rows of {@code
 * out_hidden · (1 + deepstack)}). With {@code selectLayers} the hidden states ({@code t·h·w} rows)
 * are resolved as vLLM's {@code resolve_visual_encoder_outputs}; only {@code full} applies.
 */
public final class Qwen3VlFeatureEncoder implements FeatureEncoder {
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
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    if (batch.isEmpty()) {
      return List.of();
    }
    if (spec.strategy() != null && !spec.strategy().equals("full")) {
      throw new IllegalArgumentException(
          "qwen3_vl has no class token: feature_select_strategy must be 'full' or unset, got '"
              + spec.strategy()
              + "'");
    }
    int width = tower.config().patchRowWidth();
    List<int[]> grids = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < batch.size(); i++) {
      PixelInput in = batch.get(i);
      if (in.gridThw() == null || in.shape()[1] != width) {
        throw new IllegalArgumentException(
            "qwen3_vl input "
                + i
                + " must be patch rows [N, "
                + width
                + "] with grid_thw, got "
                + Arrays.toString(in.shape()));
      }
      grids.add(in.gridThw().clone());
      total += in.values().length;
    }
    float[] pixels = new float[Math.toIntExact(total)];
    int at = 0;
    for (PixelInput in : batch) {
      System.arraycopy(in.values(), 0, pixels, at, in.values().length);
      at += in.values().length;
    }
    boolean layers = !spec.selectLayers().isEmpty();
    Qwen3VlOutput out = tower.forward(pixels, grids, layers);
    int unit = tower.config().spatialMergeSize() * tower.config().spatialMergeSize();
    if (!layers) {
      int out1 = tower.config().outHiddenSize() * (1 + out.deepstack().size());
      return split(out.withDeepstack(tower.config().outHiddenSize()), grids, unit, out1);
    }
    return split(selected(out, spec, (int) (total / width)), grids, 1, -1);
  }

  private float[] selected(Qwen3VlOutput out, FeatureSpec spec, int rows) {
    int hidden = tower.config().hiddenSize();
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> all = new ArrayList<>();
      for (float[] h : out.hiddenStates()) {
        all.add(HostTensors.upload(h, 1, rows, hidden));
      }
      int[] picks = spec.selectLayers().stream().mapToInt(Integer::intValue).toArray();
      return HostTensors.download(
          EncoderOutputs.resolveLayers(all, null, picks, tower.config().depth(), null));
    }
  }

  private static List<FeatureOutput> split(
      float[] values, List<int[]> grids, int patchesPerRow, int widthOrMinus1) {
    long rows = 0;
    for (int[] g : grids) {
      rows += (long) g[0] * g[1] * g[2] / patchesPerRow;
    }
    int width = widthOrMinus1 > 0 ? widthOrMinus1 : (int) (values.length / rows);
    List<FeatureOutput> result = new ArrayList<>();
    int at = 0;
    for (int[] g : grids) {
      int n = g[0] * g[1] * g[2] / patchesPerRow;
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
