package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code fc2(act(fc1(x)))}, HF's {@code CLIPMLP}/{@code SiglipMLP}; owns its weights.
 *
 * <p>The activation costs no pass of its own where the kernel allows: on {@link
 * LinearKernel#ONEDNN} layers it is fused into fc1's inner product as a post-op; quick GELU, {@code
 * y·sigmoid(1.702·y) = silu(1.702·y) / 1.702}, becomes oneDNN's swish on weights scaled by 1.702
 * (fc1) and 1/1.702 (fc2) when {@link #load loaded}; on {@link LinearKernel#INT8} layers the same
 * scales are folded into the per-channel weight scales and biases at load, and on {@link
 * LinearKernel#DENSE} layers they ride in the GEMMs' alpha: one in-place SiLU instead of three
 * passes.
 */
public final class Mlp implements AutoCloseable {
  /** Quick GELU's {@code 1.702}. */
  static final double QUICK_GELU_SCALE = 1.702;

  private final Linear fc1;
  private final Linear fc2;
  private final Activation act;
  private final boolean scalesFolded; // fc1 ·1.702, fc2 ·1/1.702 in the weights (oneDNN, int8)

  public Mlp(Linear fc1, Linear fc2, Activation act) {
    this(fc1, fc2, act, false);
  }

  private Mlp(Linear fc1, Linear fc2, Activation act, boolean scalesFolded) {
    this.fc1 = fc1;
    this.fc2 = fc2;
    this.act = act;
    this.scalesFolded = scalesFolded;
  }

  /**
   * A quick-GELU MLP whose oneDNN layers hold the folded scales: {@code fc1} computes {@code
   * 1.702·(x·W1ᵀ + b1)} and {@code fc2} {@code h·W2ᵀ/1.702 + b2} (what {@link #load} builds).
   */
  static Mlp folded(Linear fc1, Linear fc2) {
    return new Mlp(fc1, fc2, Activation.QUICK_GELU, true);
  }

  /**
   * Loads {@code name.fc1} {@code [inner, dim]} and {@code name.fc2} {@code [dim, inner]}, with
   * biases.
   */
  public static Mlp load(WeightMap w, String name, long dim, long inner, Activation act) {
    LinearKernel kernel = w.target().linearKernel();
    boolean fold =
        act == Activation.QUICK_GELU
            && (kernel == LinearKernel.ONEDNN
                || kernel == LinearKernel.INT8
                || kernel == LinearKernel.MLAS);
    double scale = fold ? QUICK_GELU_SCALE : 1.0;
    Linear fc1 = Linear.load(w, name + ".fc1", dim, inner, true, scale, scale);
    try {
      return new Mlp(
          fc1, Linear.load(w, name + ".fc2", inner, dim, true, 1.0 / scale, 1.0), act, fold);
    } catch (RuntimeException e) {
      fc1.close();
      throw e;
    }
  }

  /** Applies the MLP; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    if (fc1.kernel() == LinearKernel.ONEDNN
        && (act != Activation.QUICK_GELU || scalesFolded)
        && act.oneDnnPostOp() != null) {
      return fc2.forward(fc1.forwardFused(x, act.oneDnnPostOp(), act.oneDnnAlgorithm()));
    }
    if (scalesFolded && (fc1.kernel() == LinearKernel.INT8 || fc1.kernel() == LinearKernel.MLAS)) {
      Tensor h = fc1.forward(x); // 1.702·(x·W1ᵀ + b1), scaled in the layer's weights
      torch.silu_(h);
      return fc2.forward(h);
    }
    if (act == Activation.QUICK_GELU
        && fc1.kernel() == LinearKernel.DENSE
        && fc2.kernel() == LinearKernel.DENSE) {
      Tensor h = fc1.forwardScaled(x, QUICK_GELU_SCALE, QUICK_GELU_SCALE);
      torch.silu_(h);
      return fc2.forwardScaled(h, 1.0 / QUICK_GELU_SCALE, 1.0);
    }
    return fc2.forward(act.apply(fc1.forward(x)));
  }

  @Override
  public void close() {
    fc1.close();
    fc2.close();
  }
}
