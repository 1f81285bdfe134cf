package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** LayerNorm over the last axis with weight and bias; owns its tensors. */
public final class LayerNorm implements AutoCloseable {
  private final Tensor weight;
  private final Tensor bias;
  private final long dim;
  private final double eps;

  private LayerNorm(Tensor weight, Tensor bias, long dim, double eps) {
    this.weight = weight;
    this.bias = bias;
    this.dim = dim;
    this.eps = eps;
  }

  /** Loads {@code name.weight} and {@code name.bias}, both {@code [dim]}. */
  public static LayerNorm load(WeightMap w, String name, long dim, double eps) {
    Tensor weight = w.take(name + ".weight", dim);
    try {
      return new LayerNorm(weight, w.take(name + ".bias", dim), dim, eps);
    } catch (RuntimeException e) {
      weight.close();
      throw e;
    }
  }

  /** Normalises the last axis; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    return torch.layer_norm(
        x, new long[] {dim}, new TensorOptional(weight), new TensorOptional(bias), eps, false);
  }

  @Override
  public void close() {
    weight.close();
    bias.close();
  }
}
