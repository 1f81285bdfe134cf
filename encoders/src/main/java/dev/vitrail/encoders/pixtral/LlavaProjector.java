package dev.vitrail.encoders.pixtral;

import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;

/**
 * LLaVA's {@code multi_modal_projector}: {@code linear_2(act(linear_1(x)))}, mapping the tower's
 * features to the language model's width; owns its weights.
 */
public final class LlavaProjector implements AutoCloseable {
  /** Key prefixes: transformers 5 in memory, published checkpoints. */
  public static final String[] PREFIXES = {
    "model.multi_modal_projector.", "multi_modal_projector."
  };

  private final Linear linear1;
  private final Linear linear2;
  private final Activation act;

  private LlavaProjector(Linear linear1, Linear linear2, Activation act) {
    this.linear1 = linear1;
    this.linear2 = linear2;
    this.act = act;
  }

  /**
   * Loads {@code linear_1} ({@code [out, in]}) and {@code linear_2} ({@code [out, out]}).
   *
   * @param act the config's {@code projector_hidden_act}
   * @param bias the config's {@code multimodal_projector_bias}
   */
  public static LlavaProjector load(WeightMap w, int in, int out, Activation act, boolean bias) {
    Linear l1 = Linear.load(w, "linear_1", in, out, bias);
    try {
      Linear l2 = Linear.load(w, "linear_2", out, out, bias);
      w.finish();
      return new LlavaProjector(l1, l2, act);
    } catch (RuntimeException e) {
      l1.close();
      throw e;
    }
  }

  /** Projects {@code x [..., in]}; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    return linear2.forward(act.apply(linear1.forward(x)));
  }

  @Override
  public void close() {
    linear1.close();
    linear2.close();
  }
}
