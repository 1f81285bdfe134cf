package dev.vitrail.encoders.clip;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tower.LayerStack;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.tower.PatchEmbedding;
import dev.vitrail.encoders.tower.TowerFacts;
import dev.vitrail.encoders.tower.TowerOutput;
import dev.vitrail.encoders.tower.VitTower;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * HF {@code CLIPVisionModel}: patch conv (no bias), class token, position embeddings, {@code
 * pre_layrnorm}, pre-norm layers; {@code pooler_output = post_layernorm(last[:, 0])}.
 */
public final class ClipVisionTower extends VitTower {
  /** The key prefix of the vision tower in both vision-only and full CLIP checkpoints. */
  public static final String PREFIX = "vision_model.";

  private final Tensor classEmbedding; // [C]
  private final LayerNorm preNorm;

  private ClipVisionTower(
      ClipVisionConfig c,
      ComputeTarget target,
      PatchEmbedding patches,
      Tensor classEmbedding,
      Tensor positionEmbedding,
      LayerNorm preNorm,
      LayerStack layers,
      LayerNorm postNorm) {
    super(
        new TowerFacts(c.family(), c.imageSize(), c.numChannels(), c.numHiddenLayers(), true),
        target,
        patches,
        positionEmbedding,
        layers,
        postNorm); // positions: [1 + P, C]
    this.classEmbedding = classEmbedding;
    this.preNorm = preNorm;
  }

  /**
   * Loads the tower from {@code w} (bound to {@link #PREFIX}) and checks no tower tensor is left
   * over.
   */
  public static ClipVisionTower load(WeightMap w, ClipVisionConfig c) {
    long dim = c.hiddenSize();
    long grid = c.imageSize() / c.patchSize();
    double eps = c.layerNormEps();
    Activation act = Activation.byName(c.hiddenAct());
    try (Parts parts = new Parts()) {
      PatchEmbedding pe =
          parts.add(
              PatchEmbedding.load(
                  w, "embeddings.patch_embedding", c.numChannels(), dim, c.patchSize(), false));
      Tensor cls = parts.add(w.take("embeddings.class_embedding", dim));
      Tensor pos = parts.add(w.take("embeddings.position_embedding.weight", grid * grid + 1, dim));
      LayerNorm pre = parts.add(LayerNorm.load(w, "pre_layrnorm", dim, eps));
      LayerStack stack =
          parts.add(
              LayerStack.load(
                  w,
                  "encoder.layers",
                  c.numHiddenLayers(),
                  dim,
                  c.intermediateSize(),
                  c.numAttentionHeads(),
                  act,
                  eps));
      LayerNorm post = parts.add(LayerNorm.load(w, "post_layernorm", dim, eps));
      w.skip("position_ids").finish();
      parts.keep();
      return new ClipVisionTower(c, w.target(), pe, cls, pos, pre, stack, post);
    }
  }

  @Override
  public TowerOutput forward(Tensor pixels, boolean allHiddenStates) {
    Tensor embedded;
    try (PointerScope scope = new PointerScope()) {
      Tensor p = patches().forward(pixels, imageSize()); // [B, P, C]
      long b = p.size(0);
      Tensor cls = classEmbedding.view(1, 1, -1).expand(b, 1, -1);
      Tensor x = torch.cat(new TensorVector(cls, p), 1).add_(positionEmbedding());
      embedded = preNorm.forward(x);
      embedded.retainReference();
    }
    List<Tensor> states = layers().forward(embedded, allHiddenStates);
    Tensor last = states.get(states.size() - 1);
    Tensor pooled;
    try (PointerScope scope = new PointerScope()) {
      pooled = postLayerNorm().forward(last.select(1, 0));
      pooled.retainReference();
    }
    return new TowerOutput(states, last, pooled);
  }

  @Override
  protected void closeOwn() {
    classEmbedding.close();
    preNorm.close();
  }
}
