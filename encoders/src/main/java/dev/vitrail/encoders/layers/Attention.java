package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Multi-head attention with separate q, k, v and output projections, scale {@code head_dim^-0.5},
 * computed by libtorch's {@code scaled_dot_product_attention} (which picks its kernel) or, for the
 * {@code MATH} backend, by an explicit matmul-softmax-matmul with the softmax in float32; owns its
 * weights.
 */
public final class Attention implements AutoCloseable {
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear out;
  private final int heads;
  private final AttentionBackend backend;

  /** As {@link #Attention(Linear, Linear, Linear, Linear, int, AttentionBackend)} with SDPA. */
  public Attention(Linear q, Linear k, Linear v, Linear out, int heads) {
    this(q, k, v, out, heads, AttentionBackend.TORCH_SDPA);
  }

  /** Takes ownership of the four projections; {@code heads} splits the channel axis in order. */
  public Attention(Linear q, Linear k, Linear v, Linear out, int heads, AttentionBackend backend) {
    this.q = q;
    this.k = k;
    this.v = v;
    this.out = out;
    this.heads = heads;
    this.backend = backend;
  }

  /**
   * Loads HF-style {@code name.q_proj}, {@code k_proj}, {@code v_proj} and {@code outName} (all
   * {@code [dim, dim]}, with or without biases).
   */
  public static Attention load(
      WeightMap w, String name, String outName, long dim, int heads, boolean bias) {
    Linear[] p = new Linear[4];
    String[] names = {name + ".q_proj", name + ".k_proj", name + ".v_proj", name + "." + outName};
    try {
      for (int i = 0; i < 4; i++) {
        p[i] = Linear.load(w, names[i], dim, dim, bias);
      }
    } catch (RuntimeException e) {
      for (Linear l : p) {
        if (l != null) {
          l.close();
        }
      }
      throw e;
    }
    return new Attention(p[0], p[1], p[2], p[3], heads, w.target().attention((int) (dim / heads)));
  }

  /** Self-attention over {@code x [B, N, C]}, no mask; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    return forward(x, x);
  }

  /**
   * Attention of {@code query [B, M, C]} over {@code context [B, N, C]}; result {@code [B, M, C]}.
   */
  public Tensor forward(Tensor query, Tensor context) {
    long b = query.size(0);
    long m = query.size(1);
    long n = context.size(1);
    Tensor qh = splitHeads(q.forward(query), b, m);
    Tensor kh = splitHeads(k.forward(context), b, n);
    Tensor vh = splitHeads(v.forward(context), b, n);
    Tensor o = attend(qh, kh, vh, null, backend); // [B, H, M, D]
    return out.forward(o.transpose(1, 2).reshape(b, m, -1));
  }

  private Tensor splitHeads(Tensor t, long b, long n) {
    return t.view(b, n, heads, -1).transpose(1, 2);
  }

  /** {@link #attend(Tensor, Tensor, Tensor, Tensor, AttentionBackend)} through SDPA. */
  public static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor mask) {
    return attend(q, k, v, mask, AttentionBackend.TORCH_SDPA);
  }

  /**
   * {@code softmax(q·kᵀ·d^-0.5 + mask)·v} on {@code [B, H, N, D]} tensors; {@code mask} (additive,
   * broadcastable) may be null. {@code MATH} computes it explicitly; every other backend goes
   * through {@code scaled_dot_product_attention}, whose kernel choice is libtorch's.
   */
  public static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor mask, AttentionBackend backend) {
    if (backend == AttentionBackend.MATH) {
      Tensor scores = q.matmul(k.transpose(-2, -1)).mul(new Scalar(1.0 / Math.sqrt(q.size(-1))));
      if (mask != null) {
        scores = scores.add(mask);
      }
      Tensor probs = scores.to(torch.ScalarType.Float).softmax(-1).to(q.scalar_type());
      return probs.matmul(v);
    }
    TensorOptional m = mask == null ? new TensorOptional() : new TensorOptional(mask);
    return torch.scaled_dot_product_attention(q, k, v, m, 0.0, false, new DoubleOptional(), false);
  }

  @Override
  public void close() {
    q.close();
    k.close();
    v.close();
    out.close();
  }
}
