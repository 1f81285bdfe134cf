package dev.vitrail.encoders.siglip;

import dev.vitrail.config.hf.SiglipVisionConfig;
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

/**
 * HF {@code SiglipVisionModel}: patch conv with bias plus position embeddings (no class token, no
 * pre-norm), pre-norm layers, {@code last_hidden_state = post_layernorm(last layer)}, and the
 * attention-pooling head as {@code pooler_output} when {@code vision_use_head}.
 */
public final class SiglipVisionTower extends VitTower {
  /** The key prefix of the vision tower in both vision-only and full SigLIP checkpoints. */
  public static final String PREFIX = "vision_model.";

  private final SiglipPoolingHead head; // null without vision_use_head

  private SiglipVisionTower(
      SiglipVisionConfig c,
      ComputeTarget target,
      PatchEmbedding patches,
      Tensor positionEmbedding,
      LayerStack layers,
      LayerNorm postNorm,
      SiglipPoolingHead head) {
    super(
        new TowerFacts(c.family(), c.imageSize(), c.numChannels(), c.numHiddenLayers(), false),
        target,
        patches,
        positionEmbedding,
        layers,
        postNorm); // positions: [P, C]
    this.head = head;
  }

  /**
   * Loads the tower from {@code w} (bound to {@link #PREFIX}) and checks no tower tensor is left
   * over.
   */
  public static SiglipVisionTower load(WeightMap w, SiglipVisionConfig c) {
    long dim = c.hiddenSize();
    long grid = c.imageSize() / c.patchSize();
    double eps = c.layerNormEps();
    Activation act = Activation.byName(c.hiddenAct());
    try (Parts parts = new Parts()) {
      PatchEmbedding pe =
          parts.add(
              PatchEmbedding.load(
                  w, "embeddings.patch_embedding", c.numChannels(), dim, c.patchSize(), true));
      Tensor pos = parts.add(w.take("embeddings.position_embedding.weight", grid * grid, dim));
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
      SiglipPoolingHead head =
          c.visionUseHead()
              ? parts.add(
                  SiglipPoolingHead.load(
                      w, "head", dim, c.intermediateSize(), c.numAttentionHeads(), act, eps))
              : null;
      w.skip("position_ids").finish();
      parts.keep();
      return new SiglipVisionTower(c, w.target(), pe, pos, stack, post, head);
    }
  }

  @Override
  public TowerOutput forward(Tensor pixels, boolean allHiddenStates) {
    Tensor embedded;
    try (PointerScope scope = new PointerScope()) {
      embedded = patches().forward(pixels, imageSize()).add(positionEmbedding());
      embedded.retainReference();
    }
    List<Tensor> states = layers().forward(embedded, allHiddenStates);
    Tensor last;
    try (PointerScope scope = new PointerScope()) {
      last = postLayerNorm().forward(states.get(states.size() - 1));
      last.retainReference();
    }
    Tensor pooled = head == null ? null : head.forward(last);
    return new TowerOutput(states, last, pooled);
  }

  @Override
  protected void closeOwn() {
    if (head != null) {
      head.close();
    }
  }
}
