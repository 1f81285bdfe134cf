package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.layers.RmsNorm;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;

/**
 * The patch merger: {@code ln_q} RMSNorm per patch, the patches of each merge unit concatenated,
 * then {@code mlp.2(gelu(mlp.0(.)))} with exact (erf) GELU.
 */
final class Qwen25Merger implements AutoCloseable {
  private final long unitWidth;
  private final RmsNorm lnQ;
  private final Linear fc1;
  private final Linear fc2;

  private Qwen25Merger(long unitWidth, RmsNorm lnQ, Linear fc1, Linear fc2) {
    this.unitWidth = unitWidth;
    this.lnQ = lnQ;
    this.fc1 = fc1;
    this.fc2 = fc2;
  }

  /** Loads {@code merger.*}; on failure closes what it had taken. */
  static Qwen25Merger load(WeightMap w, int hidden, int mergeUnit, int outHidden) {
    long unitWidth = (long) hidden * mergeUnit;
    Parts owned = new Parts();
    try {
      RmsNorm lnQ = owned.add(RmsNorm.load(w, "merger.ln_q", hidden, Qwen25Block.RMS_EPS));
      Linear fc1 = owned.add(Linear.load(w, "merger.mlp.0", unitWidth, unitWidth, true));
      Linear fc2 = owned.add(Linear.load(w, "merger.mlp.2", unitWidth, outHidden, true));
      return new Qwen25Merger(unitWidth, lnQ, fc1, fc2);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** {@code [S, hidden]} (window order, merge units contiguous) to {@code [S/unit, outHidden]}. */
  Tensor forward(Tensor x) {
    Tensor units = lnQ.forward(x).reshape(-1, unitWidth);
    return fc2.forward(Activation.GELU.apply(fc1.forward(units)));
  }

  @Override
  public void close() {
    lnQ.close();
    fc1.close();
    fc2.close();
  }
}
