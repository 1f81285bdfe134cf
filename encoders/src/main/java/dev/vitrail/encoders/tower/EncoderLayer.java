package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.Attention;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Mlp;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * HF's pre-norm CLIP/SigLIP encoder layer: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))};
 * owns its weights.
 */
public final class EncoderLayer implements AutoCloseable {
  private final LayerNorm norm1;
  private final Attention attn;
  private final LayerNorm norm2;
  private final Mlp mlp;

  private EncoderLayer(LayerNorm norm1, Attention attn, LayerNorm norm2, Mlp mlp) {
    this.norm1 = norm1;
    this.attn = attn;
    this.norm2 = norm2;
    this.mlp = mlp;
  }

  /**
   * Loads {@code name.layer_norm1}, {@code name.self_attn.*}, {@code name.layer_norm2}, {@code
   * name.mlp.*}.
   */
  public static EncoderLayer load(
      WeightMap w, String name, long dim, long inner, int heads, Activation act, double eps) {
    LayerNorm n1 = LayerNorm.load(w, name + ".layer_norm1", dim, eps);
    Attention a = null;
    LayerNorm n2 = null;
    try {
      a = Attention.load(w, name + ".self_attn", "out_proj", dim, heads, true);
      n2 = LayerNorm.load(w, name + ".layer_norm2", dim, eps);
      return new EncoderLayer(n1, a, n2, Mlp.load(w, name + ".mlp", dim, inner, act));
    } catch (RuntimeException e) {
      n1.close();
      if (a != null) {
        a.close();
      }
      if (n2 != null) {
        n2.close();
      }
      throw e;
    }
  }

  /**
   * Runs the layer on {@code x [B, N, C]} in its own scope; the caller owns (and closes) the
   * result.
   */
  public Tensor forward(Tensor x) {
    try (PointerScope scope = new PointerScope()) {
      Tensor h = x.add(attn.forward(norm1.forward(x)));
      Tensor out = h.add_(mlp.forward(norm2.forward(h)));
      out.retainReference();
      return out;
    }
  }

  @Override
  public void close() {
    norm1.close();
    attn.close();
    norm2.close();
    mlp.close();
  }
}
