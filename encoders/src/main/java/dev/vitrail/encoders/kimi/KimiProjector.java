package dev.vitrail.encoders.kimi;

import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;

/**
 * Kimi K2.5's {@code mm_projector} ({@code patchmerger}): LayerNorm on each of the {@code kh·kw}
 * merged vectors, concatenated, {@code proj.0}, exact GELU, {@code proj.2} to the text width.
 */
public final class KimiProjector implements AutoCloseable {
  /** Key prefix in published checkpoints. */
  public static final String[] PREFIXES = {"mm_projector."};

  private final LayerNorm preNorm;
  private final Linear proj0;
  private final Linear proj2;

  private KimiProjector(LayerNorm preNorm, Linear proj0, Linear proj2) {
    this.preNorm = preNorm;
    this.proj0 = proj0;
    this.proj2 = proj2;
  }

  public static KimiProjector load(KimiK25VisionConfig c, WeightMap w) {
    int d = c.hiddenSize();
    long merged = (long) d * c.mergeFactor();
    Parts owned = new Parts();
    try {
      LayerNorm n = owned.add(LayerNorm.load(w, "pre_norm", d, c.projectorLnEps()));
      Linear p0 = owned.add(Linear.load(w, "proj.0", merged, merged, true));
      Linear p2 = owned.add(Linear.load(w, "proj.2", merged, c.textHiddenSize(), true));
      w.finish();
      return new KimiProjector(n, p0, p2);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** {@code [M, kh·kw, D]} to {@code [M, text]}; the result lives in the caller's scope. */
  public Tensor forward(Tensor merged) {
    Tensor x = preNorm.forward(merged).reshape(merged.size(0), -1);
    return proj2.forward(Activation.GELU.apply(proj0.forward(x)));
  }

  @Override
  public void close() {
    preNorm.close();
    proj0.close();
    proj2.close();
  }
}
