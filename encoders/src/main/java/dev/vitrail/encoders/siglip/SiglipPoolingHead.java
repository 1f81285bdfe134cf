package dev.vitrail.encoders.siglip;

import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.Attention;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.layers.Mlp;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * HF {@code SiglipMultiheadAttentionPoolingHead}: a learned probe attends over the tokens ({@code
 * nn.MultiheadAttention} with a packed {@code in_proj}), then {@code a + mlp(layernorm(a))}.
 */
public final class SiglipPoolingHead implements AutoCloseable {
  private final Tensor probe; // [1, 1, C]
  private final Attention attention;
  private final LayerNorm norm;
  private final Mlp mlp;

  private SiglipPoolingHead(Tensor probe, Attention attention, LayerNorm norm, Mlp mlp) {
    this.probe = probe;
    this.attention = attention;
    this.norm = norm;
    this.mlp = mlp;
  }

  /**
   * Loads {@code name.probe}, {@code name.attention.*}, {@code name.layernorm}, {@code name.mlp.*}.
   */
  public static SiglipPoolingHead load(
      WeightMap w, String name, long dim, long inner, int heads, Activation act, double eps) {
    try (Parts parts = new Parts()) {
      Tensor probe = parts.add(w.take(name + ".probe", 1, 1, dim));
      Linear[] qkv = new Linear[3];
      try (Tensor inW = w.take(name + ".attention.in_proj_weight", 3 * dim, dim);
          Tensor inB = w.take(name + ".attention.in_proj_bias", 3 * dim)) {
        for (int i = 0; i < 3; i++) {
          qkv[i] = parts.add(new Linear(slice(inW, i, dim), slice(inB, i, dim)));
        }
      }
      Linear out = parts.add(Linear.load(w, name + ".attention.out_proj", dim, dim, true));
      Attention attention =
          parts.add(
              new Attention(
                  qkv[0], qkv[1], qkv[2], out, heads, w.target().attention((int) (dim / heads))));
      LayerNorm norm = parts.add(LayerNorm.load(w, name + ".layernorm", dim, eps));
      Mlp mlp = parts.add(Mlp.load(w, name + ".mlp", dim, inner, act));
      parts.keep();
      return new SiglipPoolingHead(probe, attention, norm, mlp);
    }
  }

  private static Tensor slice(Tensor packed, int part, long dim) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = packed.narrow(0, part * dim, dim);
      t.retainReference();
      return t;
    }
  }

  /** Pools {@code x [B, N, C]} into {@code [B, C]}; the caller owns the result. */
  public Tensor forward(Tensor x) {
    try (PointerScope scope = new PointerScope()) {
      Tensor query = probe.expand(x.size(0), 1, -1);
      Tensor a = attention.forward(query, x);
      Tensor y = a.add(mlp.forward(norm.forward(a)));
      Tensor pooled = y.select(1, 0);
      pooled.retainReference();
      return pooled;
    }
  }

  @Override
  public void close() {
    probe.close();
    attention.close();
    norm.close();
    mlp.close();
  }
}
