package dev.vitrail.encoders.tower;

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
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A {@link FeatureEncoder} over a fixed-size tower: stacks the images into one batch, runs the
 * tower and resolves features as vLLM's {@code resolve_visual_encoder_outputs}.
 */
public final class FixedSizeFeatureEncoder implements FeatureEncoder {
  private final VisionTower tower;

  /** Takes ownership of {@code tower}. */
  public FixedSizeFeatureEncoder(VisionTower tower) {
    this.tower = tower;
  }

  @Override
  public String family() {
    return tower.family();
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    if (batch.isEmpty()) {
      return List.of();
    }
    int c = tower.numChannels();
    int s = tower.imageSize();
    int[] want = {c, s, s};
    for (int i = 0; i < batch.size(); i++) {
      PixelInput in = batch.get(i);
      if (in.gridThw() != null || !Arrays.equals(in.shape(), want)) {
        throw new IllegalArgumentException(
            tower.family()
                + " input "
                + i
                + " must be pixels "
                + Arrays.toString(want)
                + ", got "
                + Arrays.toString(in.shape())
                + (in.gridThw() != null ? " with grid_thw" : ""));
      }
    }
    boolean needAll = !spec.selectLayers().isEmpty();
    try (PointerScope scope = new PointerScope()) {
      // One upload for the batch (pinned + asynchronous on CUDA).
      Tensor pixels =
          tower
              .target()
              .upload(batch.stream().map(PixelInput::values).toList(), batch.size(), c, s, s);
      try (TowerOutput out = tower.forward(pixels, needAll)) {
        return split(features(out, spec));
      }
    }
  }

  private Tensor features(TowerOutput out, FeatureSpec spec) {
    if (spec.projected()) {
      throw new IllegalArgumentException(
          tower.family()
              + " loads the vision tower only: no projector, no language-model embeddings");
    }
    if (spec.pooled()) {
      if (out.pooled() == null) {
        throw new IllegalArgumentException(tower.family() + " tower has no pooled output");
      }
      return out.pooled();
    }
    UnaryOperator<Tensor> norm = spec.postLayerNorm() ? tower.postLayerNorm()::forward : null;
    FeatureSelectStrategy strategy =
        spec.strategy() == null ? null : FeatureSelectStrategy.of(spec.strategy());
    if (spec.selectLayers().isEmpty()) {
      return EncoderOutputs.resolveLast(out.lastLayer(), norm, strategy);
    }
    int[] layers = spec.selectLayers().stream().mapToInt(Integer::intValue).toArray();
    return EncoderOutputs.resolveLayers(
        out.hiddenStates(), norm, layers, tower.numHiddenLayers(), strategy);
  }

  private static List<FeatureOutput> split(Tensor features) {
    long[] shape = features.shape();
    int[] item = new int[shape.length - 1];
    for (int i = 1; i < shape.length; i++) {
      item[i - 1] = Math.toIntExact(shape[i]);
    }
    float[] all = HostTensors.download(features);
    int per = all.length / Math.toIntExact(shape[0]);
    List<FeatureOutput> result = new ArrayList<>();
    for (int b = 0; b < shape[0]; b++) {
      result.add(new FeatureOutput(Arrays.copyOfRange(all, b * per, (b + 1) * per), item.clone()));
    }
    return result;
  }

  @Override
  public void close() {
    tower.close();
  }
}
