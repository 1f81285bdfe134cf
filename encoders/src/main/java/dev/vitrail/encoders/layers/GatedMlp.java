package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;

/** {@code down(act(gate(x)) · up(x))} (SwiGLU when act is silu); owns its weights. */
public final class GatedMlp implements AutoCloseable {
  private final Linear gate;
  private final Linear up;
  private final Linear down;
  private final Activation act;

  public GatedMlp(Linear gate, Linear up, Linear down, Activation act) {
    this.gate = gate;
    this.up = up;
    this.down = down;
    this.act = act;
  }

  /** Loads {@code name.gate_proj}, {@code name.up_proj} and {@code name.down_proj}. */
  public static GatedMlp load(
      WeightMap w, String name, long dim, long inner, boolean bias, Activation act) {
    Linear gate = Linear.load(w, name + ".gate_proj", dim, inner, bias);
    Linear up = null;
    try {
      up = Linear.load(w, name + ".up_proj", dim, inner, bias);
      return new GatedMlp(gate, up, Linear.load(w, name + ".down_proj", inner, dim, bias), act);
    } catch (RuntimeException e) {
      gate.close();
      if (up != null) {
        up.close();
      }
      throw e;
    }
  }

  /** Applies the MLP; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    return down.forward(act.apply(gate.forward(x)).mul(up.forward(x)));
  }

  @Override
  public void close() {
    gate.close();
    up.close();
    down.close();
  }
}
