package dev.vitrail.encoders.pixtral;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tower.PatchFeatures;
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
 *
 * <p>With {@link FeatureSpec#projected()} and a LLaVA checkpoint, each image gets what vLLM's
 * {@code LlavaForConditionalGeneration.embed_multimodal} returns for it: the {@code
 * vision_feature_layer} hidden state through the {@code multi_modal_projector}, {@code
 * [(h/p)·(w/p), text_hidden]} (one row per {@code [IMG]} token; {@code [IMG_BREAK]} / {@code
 * [IMG_END]} are the language model's own token embeddings).
 */
public final class PixtralFeatureEncoder implements FeatureEncoder {
  private final PixtralVisionTower tower;
  private final LlavaHead head;

  /** Takes ownership of {@code tower}; no projector. */
  public PixtralFeatureEncoder(PixtralVisionTower tower) {
    this(tower, null);
  }

  /** Takes ownership of {@code tower} and {@code head} (null: no projector). */
  public PixtralFeatureEncoder(PixtralVisionTower tower, LlavaHead head) {
    this.tower = tower;
    this.head = head;
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
    PatchFeatures.requireFullStrategy(family(), spec);
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
    if (spec.projected() && head == null) {
      throw new IllegalArgumentException(
          "this pixtral checkpoint has no multi_modal_projector: no language-model embeddings");
    }
    int depth = tower.config().numHiddenLayers();
    int layer = depth;
    if (spec.projected()) {
      layer = head.featureLayer() < 0 ? depth + 1 + head.featureLayer() : head.featureLayer();
      if (layer < 0 || layer > depth) {
        throw new IllegalArgumentException(
            "vision_feature_layer " + head.featureLayer() + " is outside 0.." + depth);
      }
    }
    boolean layers = !spec.selectLayers().isEmpty() || layer != depth;
    PixtralOutput out = tower.forward(images, sizes, layers);
    float[] values;
    if (spec.projected()) {
      values = project(layer == depth ? out.lastHiddenState() : out.hiddenStates().get(layer), out);
    } else {
      values =
          layers
              ? PatchFeatures.selectLayers(
                  out.hiddenStates(),
                  Arrays.stream(out.tokens()).sum(),
                  out.hidden(),
                  tower.config().numHiddenLayers(),
                  spec)
              : out.lastHiddenState();
    }
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

  private float[] project(float[] features, PixtralOutput out) {
    int s = Arrays.stream(out.tokens()).sum();
    try (PointerScope scope = new PointerScope()) {
      Tensor x = tower.target().upload(List.of(features), s, out.hidden());
      return HostTensors.download(head.projector().forward(x));
    }
  }

  @Override
  public void close() {
    try {
      tower.close();
    } finally {
      if (head != null) {
        head.close();
      }
    }
  }
}
