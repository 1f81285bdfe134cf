package dev.vitrail.encoders.siglip2;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.select.EncoderOutput;
import dev.vitrail.encoders.select.EncoderOutputs;
import dev.vitrail.encoders.tensor.HostTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * A {@link FeatureEncoder} over the SigLIP2 naflex tower. Inputs are patch rows {@code [h·w,
 * C·p·p]} with {@code grid_thw = [1, h, w]} (the image processor's patches of one image). Default
 * features are {@code last_hidden_state} (post-layernorm) per image; {@code pooled} gives the
 * head's output {@code [1, hidden]}; with {@code selectLayers} the hidden states are resolved as
 * newer vLLM does for SigLIP2, {@code post_layernorm} applied as {@code last_hs_proc} when the last
 * layer is picked (and {@code postLayerNorm} is set).
 */
public final class Siglip2FeatureEncoder implements FeatureEncoder {
  private final Siglip2VisionTower tower;

  /** Takes ownership of {@code tower}. */
  public Siglip2FeatureEncoder(Siglip2VisionTower tower) {
    this.tower = tower;
  }

  @Override
  public String family() {
    return "siglip2";
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    if (batch.isEmpty()) {
      return List.of();
    }
    if (spec.strategy() != null && !spec.strategy().equals("full")) {
      throw new IllegalArgumentException(
          "siglip2 has no class token: feature_select_strategy must be 'full' or unset");
    }
    if (spec.projected()) {
      throw new IllegalArgumentException(
          "siglip2 is a vision tower without a projector: no language-model embeddings");
    }
    if (spec.pooled() && !tower.hasHead()) {
      throw new IllegalArgumentException("this siglip2 checkpoint has no pooling head");
    }
    int width = tower.config().patchRowWidth();
    List<float[]> images = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      PixelInput in = batch.get(i);
      int[] g = in.gridThw();
      if (g == null || g[0] != 1 || in.shape()[1] != width) {
        throw new IllegalArgumentException(
            "siglip2 input "
                + i
                + " must be patch rows [h*w, "
                + width
                + "] with grid_thw"
                + " [1, h, w], got "
                + Arrays.toString(in.shape()));
      }
      images.add(in.values());
      shapes.add(new int[] {g[1], g[2]});
    }
    boolean layers = !spec.selectLayers().isEmpty();
    Siglip2Output out = tower.forward(images, shapes, layers, spec.pooled());
    int d = tower.config().hiddenSize();
    List<FeatureOutput> result = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      int n = out.tokens()[i];
      if (spec.pooled()) {
        result.add(new FeatureOutput(out.pooled().get(i), new int[] {1, d}));
      } else if (layers) {
        float[] v = selected(out, i, n, spec);
        result.add(new FeatureOutput(v, new int[] {n, v.length / n}));
      } else {
        result.add(new FeatureOutput(out.lastHiddenState().get(i), new int[] {n, d}));
      }
    }
    return result;
  }

  private float[] selected(Siglip2Output out, int image, int n, FeatureSpec spec) {
    int d = tower.config().hiddenSize();
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> all = new ArrayList<>();
      for (List<float[]> layer : out.hiddenStates()) {
        all.add(HostTensors.upload(layer.get(image), 1, n, d));
      }
      int[] picks = spec.selectLayers().stream().mapToInt(Integer::intValue).toArray();
      UnaryOperator<Tensor> lastHsProc = spec.postLayerNorm() ? tower::postLayerNorm : null;
      return HostTensors.download(
          EncoderOutputs.resolve(
              EncoderOutput.hiddenStates(all),
              null,
              picks,
              tower.config().numHiddenLayers(),
              lastHsProc,
              null));
    }
  }

  @Override
  public void close() {
    tower.close();
  }
}
