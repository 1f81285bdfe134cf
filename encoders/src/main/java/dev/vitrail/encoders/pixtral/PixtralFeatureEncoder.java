package dev.vitrail.encoders.pixtral;

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
 * A {@link FeatureEncoder} over the Pixtral tower: every image of the batch at its own size in one
 * packed call, split per image afterwards ({@code (h/p)·(w/p)} rows each).
 *
 * <p>Default features are the last layer's output (vLLM's Pixtral-HF tower with {@code
 * vision_feature_layer -1}, strategy {@code full}); with {@code selectLayers} the hidden states are
 * resolved as vLLM's {@code resolve_visual_encoder_outputs} (no post-norm: Pixtral has none). Only
 * the {@code full} strategy applies, since the tower has no class token.
 */
public final class PixtralFeatureEncoder implements FeatureEncoder {
  private final PixtralVisionTower tower;

  /** Takes ownership of {@code tower}. */
  public PixtralFeatureEncoder(PixtralVisionTower tower) {
    this.tower = tower;
  }

  @Override
  public String family() {
    return "pixtral";
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    if (batch.isEmpty()) {
      return List.of();
    }
    if (spec.strategy() != null && !spec.strategy().equals("full")) {
      throw new IllegalArgumentException(
          "pixtral has no class token: feature_select_strategy must be 'full' or unset, got '"
              + spec.strategy()
              + "'");
    }
    List<float[]> images = new ArrayList<>();
    List<int[]> sizes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      PixelInput in = batch.get(i);
      int[] s = in.shape();
      if (in.gridThw() != null || s.length != 3 || s[0] != tower.config().numChannels()) {
        throw new IllegalArgumentException(
            "pixtral input " + i + " must be an image [C, H, W], got " + Arrays.toString(s));
      }
      images.add(in.values());
      sizes.add(new int[] {s[1], s[2]});
    }
    boolean layers = !spec.selectLayers().isEmpty();
    PixtralOutput out = tower.forward(images, sizes, layers);
    float[] values = layers ? selected(out, spec) : out.lastHiddenState();
    int[] tokens = out.tokens();
    int total = Arrays.stream(tokens).sum();
    int width = values.length / total;
    List<FeatureOutput> result = new ArrayList<>();
    int at = 0;
    for (int n : tokens) {
      result.add(
          new FeatureOutput(Arrays.copyOfRange(values, at, at + n * width), new int[] {n, width}));
      at += n * width;
    }
    return result;
  }

  private float[] selected(PixtralOutput out, FeatureSpec spec) {
    int s = Arrays.stream(out.tokens()).sum();
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> all = new ArrayList<>();
      for (float[] h : out.hiddenStates()) {
        all.add(HostTensors.upload(h, 1, s, out.hidden()));
      }
      int[] picks = spec.selectLayers().stream().mapToInt(Integer::intValue).toArray();
      return HostTensors.download(
          EncoderOutputs.resolveLayers(all, null, picks, tower.config().numHiddenLayers(), null));
    }
  }

  @Override
  public void close() {
    tower.close();
  }
}
