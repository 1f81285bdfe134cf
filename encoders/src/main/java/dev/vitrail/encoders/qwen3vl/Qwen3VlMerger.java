package dev.vitrail.encoders.qwen3vl;

import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;

/**
 * Qwen3-VL's patch merger: LayerNorm (eps 1e-6) per patch, or for the deepstack mergers on the
 * concatenated merge unit ("post-shuffle"), then {@code fc2(gelu(fc1(unit)))} with exact GELU.
 */
final class Qwen3VlMerger implements AutoCloseable {
  private final boolean postShuffle;
  private final long unitWidth;
  private final LayerNorm norm;
  private final Linear fc1;
  private final Linear fc2;

  private Qwen3VlMerger(
      boolean postShuffle, long unitWidth, LayerNorm norm, Linear fc1, Linear fc2) {
    this.postShuffle = postShuffle;
    this.unitWidth = unitWidth;
    this.norm = norm;
    this.fc1 = fc1;
    this.fc2 = fc2;
  }

  /** Loads {@code name.norm}, {@code name.linear_fc1} and {@code name.linear_fc2}. */
  static Qwen3VlMerger load(
      WeightMap w, String name, int hidden, int unit, int out, boolean postShuffle) {
    long width = (long) hidden * unit;
    Parts owned = new Parts();
    try {
      LayerNorm n =
          owned.add(
              LayerNorm.load(
                  w, name + ".norm", postShuffle ? width : hidden, Qwen3VlVisionTower.LN_EPS));
      Linear l1 = owned.add(Linear.load(w, name + ".linear_fc1", width, width, true));
      Linear l2 = owned.add(Linear.load(w, name + ".linear_fc2", width, out, true));
      return new Qwen3VlMerger(postShuffle, width, n, l1, l2);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** {@code [S, hidden]} in merge-unit order to {@code [S / unit, out]}, in the caller's scope. */
  Tensor forward(Tensor x) {
    Tensor units =
        postShuffle
            ? norm.forward(x.reshape(-1, unitWidth))
            : norm.forward(x).reshape(-1, unitWidth);
    return fc2.forward(Activation.GELU.apply(fc1.forward(units)));
  }

  @Override
  public void close() {
    norm.close();
    fc1.close();
    fc2.close();
  }
}
