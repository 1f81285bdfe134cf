package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.tensor.ComputeTarget;
import org.bytedeco.pytorch.Tensor;

/**
 * What the CLIP and SigLIP towers own alike: the patch embedding, the position embeddings, the
 * encoder layers and the post-layernorm, with the facts and target the feature encoder asks for. A
 * family adds its own weights (freed by {@link #closeOwn()}) and its {@link #forward}.
 */
public abstract class VitTower implements VisionTower {
  private final TowerFacts facts;
  private final ComputeTarget target;
  private final PatchEmbedding patches;
  private final Tensor positionEmbedding;
  private final LayerStack layers;
  private final LayerNorm postNorm;

  /** Takes ownership of the shared weights; {@link #close()} frees them. */
  protected VitTower(
      TowerFacts facts,
      ComputeTarget target,
      PatchEmbedding patches,
      Tensor positionEmbedding,
      LayerStack layers,
      LayerNorm postNorm) {
    this.facts = facts;
    this.target = target;
    this.patches = patches;
    this.positionEmbedding = positionEmbedding;
    this.layers = layers;
    this.postNorm = postNorm;
  }

  /** The patch embedding: pixels to {@code [B, P, C]}. */
  protected final PatchEmbedding patches() {
    return patches;
  }

  /** The position embeddings, one row per token. */
  protected final Tensor positionEmbedding() {
    return positionEmbedding;
  }

  /** The encoder layers. */
  protected final LayerStack layers() {
    return layers;
  }

  /** Frees the weights only this family has. */
  protected abstract void closeOwn();

  @Override
  public final String family() {
    return facts.family();
  }

  @Override
  public final int imageSize() {
    return facts.imageSize();
  }

  @Override
  public final int numChannels() {
    return facts.numChannels();
  }

  @Override
  public final int numHiddenLayers() {
    return facts.numHiddenLayers();
  }

  @Override
  public final boolean hasClassToken() {
    return facts.hasClassToken();
  }

  @Override
  public final ComputeTarget target() {
    return target;
  }

  @Override
  public final LayerNorm postLayerNorm() {
    return postNorm;
  }

  @Override
  public final void close() {
    patches.close();
    positionEmbedding.close();
    layers.close();
    postNorm.close();
    closeOwn();
  }
}
