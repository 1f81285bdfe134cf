package dev.vitrail.encoders.select;

import dev.vitrail.encoders.tensor.ScopedCall;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * A tower's post-layernorm over the last axis ({@code torch.nn.LayerNorm}, biased variance): {@code
 * y = (x - mean) / sqrt(var + eps) * weight + bias}. The weight and bias stay owned by the caller
 * (the tower).
 *
 * @param weight {@code [H]}
 * @param bias {@code [H]}
 * @param eps added to the variance
 */
public record PostLayerNorm(Tensor weight, Tensor bias, double eps)
    implements UnaryOperator<Tensor> {

  public PostLayerNorm {
    if (weight.dim() != 1 || bias.dim() != 1 || weight.size(0) != bias.size(0)) {
      throw new IllegalArgumentException(
          "layer norm weight and bias must be 1-D of equal length, got "
              + weight.dim()
              + "-D/"
              + bias.dim()
              + "-D");
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("layer norm eps must be > 0, got " + eps);
    }
  }

  @Override
  public Tensor apply(Tensor x) {
    long h = weight.size(0);
    if (x.dim() < 1 || x.size(x.dim() - 1) != h) {
      throw new IllegalArgumentException(
          "layer norm over "
              + h
              + " channels got a tensor whose last axis is "
              + (x.dim() < 1 ? "missing" : Long.toString(x.size(x.dim() - 1))));
    }
    return ScopedCall.returning(
        () ->
            torch.layer_norm(
                x,
                new long[] {h},
                new TensorOptional(weight),
                new TensorOptional(bias),
                eps,
                false));
  }
}
