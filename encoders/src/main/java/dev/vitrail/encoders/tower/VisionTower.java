package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.tensor.ComputeTarget;
import org.bytedeco.pytorch.Tensor;

/** A fixed-size ViT-style tower (CLIP, SigLIP) as the feature encoder drives it. */
public interface VisionTower extends AutoCloseable {
  /** The family name, e.g. {@code "clip"}. */
  String family();

  /** Side of the square input image in pixels. */
  int imageSize();

  /** Input channels. */
  int numChannels();

  /** Number of encoder layers. */
  int numHiddenLayers();

  /** Whether the first token is a class token. */
  boolean hasClassToken();

  /** Where the tower's tensors live and the compute dtype. */
  ComputeTarget target();

  /** The tower's post-layernorm, applied as vLLM applies it to selected features. */
  LayerNorm postLayerNorm();

  /**
   * Runs the tower on {@code pixels [B, C, H, W]} (on the target, in the compute dtype); the caller
   * owns the result. With {@code allHiddenStates} false only the last layer's output is kept.
   */
  TowerOutput forward(Tensor pixels, boolean allHiddenStates);

  @Override
  void close();
}
