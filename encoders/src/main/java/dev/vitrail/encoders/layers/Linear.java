package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x·Wᵀ + b} with {@code W [out, in]} and an optional bias; owns its tensors. */
public final class Linear implements AutoCloseable {
  private final Tensor weight;
  private final Tensor bias; // may be null

  /** Takes ownership of {@code weight [out, in]} and {@code bias [out]} (or null). */
  public Linear(Tensor weight, Tensor bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** Loads {@code name.weight} (and {@code name.bias} when {@code withBias}). */
  public static Linear load(WeightMap w, String name, long in, long out, boolean withBias) {
    Tensor weight = w.take(name + ".weight", out, in);
    Tensor bias = withBias ? w.take(name + ".bias", out) : null;
    return new Linear(weight, bias);
  }

  /** Applies the layer to the last axis of {@code x}; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    return bias == null
        ? torch.linear(x, weight)
        : torch.linear(x, weight, new TensorOptional(bias));
  }

  @Override
  public void close() {
    weight.close();
    if (bias != null) {
      bias.close();
    }
  }
}
