package dev.vitrail.encoders.qwen25vl;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * The patch merger: {@code ln_q} RMSNorm per patch, the patches of each merge unit concatenated,
 * then {@code mlp.2(gelu(mlp.0(.)))} with exact (erf) GELU.
 */
final class Qwen25Merger implements AutoCloseable {
  private final long unitWidth;
  private final Tensor lnQ;
  private final Tensor fc1Weight;
  private final Tensor fc1Bias;
  private final Tensor fc2Weight;
  private final Tensor fc2Bias;

  Qwen25Merger(WeightSource weights, int hidden, int mergeUnit, int outHidden) {
    unitWidth = (long) hidden * mergeUnit;
    lnQ = weights.take("merger.ln_q.weight", hidden);
    fc1Weight = weights.take("merger.mlp.0.weight", unitWidth, unitWidth);
    fc1Bias = weights.take("merger.mlp.0.bias", unitWidth);
    fc2Weight = weights.take("merger.mlp.2.weight", outHidden, unitWidth);
    fc2Bias = weights.take("merger.mlp.2.bias", outHidden);
  }

  /** {@code [S, hidden]} (window order, merge units contiguous) to {@code [S/unit, outHidden]}. */
  Tensor forward(Tensor x) {
    Tensor units = Qwen25Block.rms(x, lnQ).reshape(-1, unitWidth);
    Tensor h = torch.gelu(torch.linear(units, fc1Weight, new TensorOptional(fc1Bias)));
    return torch.linear(h, fc2Weight, new TensorOptional(fc2Bias));
  }

  @Override
  public void close() {
    lnQ.close();
    fc1Weight.close();
    fc1Bias.close();
    fc2Weight.close();
    fc2Bias.close();
  }
}
