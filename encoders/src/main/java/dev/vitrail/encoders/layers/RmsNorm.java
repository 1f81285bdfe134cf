package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** RMSNorm {@code w · x / sqrt(mean(x²) + eps)} over the last axis; owns its weight. */
public final class RmsNorm implements AutoCloseable {
  private final Tensor weight;
  private final long dim;
  private final double eps;

  private RmsNorm(Tensor weight, long dim, double eps) {
    this.weight = weight;
    this.dim = dim;
    this.eps = eps;
  }

  /** Loads {@code name.weight} {@code [dim]}. */
  public static RmsNorm load(WeightMap w, String name, long dim, double eps) {
    return new RmsNorm(w.take(name + ".weight", dim), dim, eps);
  }

  /** Normalises the last axis (statistics in the input dtype); result in the caller's scope. */
  public Tensor forward(Tensor x) {
    return torch.rms_norm(x, new long[] {dim}, new TensorOptional(weight), new DoubleOptional(eps));
  }

  @Override
  public void close() {
    weight.close();
  }
}
