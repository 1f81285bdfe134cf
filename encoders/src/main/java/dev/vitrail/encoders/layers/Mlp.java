package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;

/** {@code fc2(act(fc1(x)))}, HF's {@code CLIPMLP}/{@code SiglipMLP}; owns its weights. */
public final class Mlp implements AutoCloseable {
  private final Linear fc1;
  private final Linear fc2;
  private final Activation act;

  public Mlp(Linear fc1, Linear fc2, Activation act) {
    this.fc1 = fc1;
    this.fc2 = fc2;
    this.act = act;
  }

  /**
   * Loads {@code name.fc1} {@code [inner, dim]} and {@code name.fc2} {@code [dim, inner]}, with
   * biases.
   */
  public static Mlp load(WeightMap w, String name, long dim, long inner, Activation act) {
    Linear fc1 = Linear.load(w, name + ".fc1", dim, inner, true);
    try {
      return new Mlp(fc1, Linear.load(w, name + ".fc2", inner, dim, true), act);
    } catch (RuntimeException e) {
      fc1.close();
      throw e;
    }
  }

  /** Applies the MLP; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    return fc2.forward(act.apply(fc1.forward(x)));
  }

  @Override
  public void close() {
    fc1.close();
    fc2.close();
  }
}
