package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Multi-head attention with q, k, v and output projections, scale {@code head_dim^-0.5}, computed
 * by libtorch's {@code scaled_dot_product_attention} (which picks its kernel) or, for the {@code
 * MATH} backend, by an explicit matmul-softmax-matmul with the softmax in float32; owns its
 * weights. The q, k and v projections are either separate layers or one fused {@code [3·dim, dim]}
 * layer ({@link #load} fuses them: one GEMM instead of three, whose q/k/v are views of its output).
 */
public final class Attention implements AutoCloseable {
  private final Linear q; // null when fused
  private final Linear k; // null when fused
  private final Linear v; // null when fused
  private final Linear qkv; // null when separate
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
    this.qkv = null;
    this.out = out;
    this.heads = heads;
    this.backend = backend;
  }

  /**
   * Takes ownership of a fused projection {@code qkv} ({@code [3·dim, dim]}: q rows, then k, then
   * v) and {@code out}.
   */
  public Attention(Linear qkv, Linear out, int heads, AttentionBackend backend) {
    this.q = null;
    this.k = null;
    this.v = null;
    this.qkv = qkv;
    this.out = out;
    this.heads = heads;
    this.backend = backend;
  }

  /**
   * Loads HF-style {@code name.q_proj}, {@code k_proj}, {@code v_proj} and {@code outName} (all
   * {@code [dim, dim]}, with or without biases). q, k and v are fused into one projection whenever
   * the weights are copied anyway (another dtype, device or linear kernel than the float32 CPU
   * checkpoint they are mapped from): one GEMM instead of three is 3-4 % faster on the projections,
   * but fusing in-place float32 weights would copy a quarter of the tower's weights.
   */
  public static Attention load(
      WeightMap w, String name, String outName, long dim, int heads, boolean bias) {
    AttentionBackend backend = w.target().attention((int) (dim / heads));
    if (!FusedProjection.copiesAnyway(w.target())) {
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
      return new Attention(p[0], p[1], p[2], p[3], heads, backend);
    }
    Linear qkv =
        FusedProjection.load(w, name, new String[] {"q_proj", "k_proj", "v_proj"}, dim, bias);
    try {
      return new Attention(
          qkv, Linear.load(w, name + "." + outName, dim, dim, bias), heads, backend);
    } catch (RuntimeException e) {
      qkv.close();
      throw e;
    }
  }

  /** Self-attention over {@code x [B, N, C]}, no mask; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    if (qkv == null) {
      return forward(x, x);
    }
    long b = x.size(0);
    long n = x.size(1);
    // [B, N, 3C] -> [3, B, H, N, D]: q, k and v are views, no copy
    Tensor parts = qkv.forward(x).view(b, n, 3, heads, -1).permute(2, 0, 3, 1, 4);
    Tensor o = attend(parts.select(0, 0), parts.select(0, 1), parts.select(0, 2), null, backend);
    return out.forward(o.transpose(1, 2).reshape(b, n, -1));
  }

  /**
   * Attention of {@code query [B, M, C]} over {@code context [B, N, C]}; result {@code [B, M, C]}.
   */
  public Tensor forward(Tensor query, Tensor context) {
    long b = query.size(0);
    long m = query.size(1);
    long n = context.size(1);
    Tensor qh;
    Tensor kh;
    Tensor vh;
    if (qkv == null) {
      qh = splitHeads(q.forward(query), b, m);
      kh = splitHeads(k.forward(context), b, n);
      vh = splitHeads(v.forward(context), b, n);
    } else {
      long c = query.size(2);
      qh = splitHeads(qkv.forward(query).narrow(2, 0, c), b, m);
      Tensor kv = qkv.forward(context);
      kh = splitHeads(kv.narrow(2, c, c), b, n);
      vh = splitHeads(kv.narrow(2, 2 * c, c), b, n);
    }
    Tensor o = attend(qh, kh, vh, null, backend); // [B, H, M, D]
    return out.forward(o.transpose(1, 2).reshape(b, m, -1));
  }

  private Tensor splitHeads(Tensor t, long b, long n) {
    return t.view(b, n, heads, -1).transpose(1, 2);
  }

  /**
   * {@code softmax(q·kᵀ·d^-0.5 + mask)·v} on {@code [B, H, N, D]} tensors; {@code mask} (additive,
   * broadcastable) may be null. {@code MATH} computes it explicitly, softmax in float32, in blocks
   * of query rows so that no block's scores exceed {@value #MATH_SCORES_PER_BLOCK} elements (a long
   * sequence would otherwise hold all {@code B·H·N²} scores at once); every other backend goes
   * through {@code scaled_dot_product_attention}, whose kernel choice is libtorch's, on the CPU in
   * float32 for bf16 input (the output rounded back to bf16 once).
   */
  public static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor mask, AttentionBackend backend) {
    if (backend == AttentionBackend.MATH) {
      return mathAttention(q, k, v, mask, MATH_SCORES_PER_BLOCK);
    }
    if (q.is_cpu() && q.scalar_type().value == torch.ScalarType.BFloat16.value) {
      // libtorch 2.10's CPU SDPA runs bf16 about twenty times slower than float32 (BENCHMARKS.md,
      // bf16 on Zen 4): attend in float32 and round the output once
      Tensor o =
          sdpa(
              q.to(torch.ScalarType.Float),
              k.to(torch.ScalarType.Float),
              v.to(torch.ScalarType.Float),
              mask == null || mask.scalar_type().value != torch.ScalarType.BFloat16.value
                  ? mask
                  : mask.to(torch.ScalarType.Float));
      return o.to(torch.ScalarType.BFloat16);
    }
    return sdpa(q, k, v, mask);
  }

  private static Tensor sdpa(Tensor q, Tensor k, Tensor v, Tensor mask) {
    TensorOptional m = mask == null ? new TensorOptional() : new TensorOptional(mask);
    return torch.scaled_dot_product_attention(q, k, v, m, 0.0, false, new DoubleOptional(), false);
  }

  /** The most scores (elements) one block of {@link AttentionBackend#MATH} attention holds. */
  static final long MATH_SCORES_PER_BLOCK = 1L << 24;

  /**
   * The {@code MATH} attention of {@link #attend}, taking query rows in blocks whose {@code [B, H,
   * rows, N]} scores hold at most {@code maxScores} elements (at least one row per block).
   */
  static Tensor mathAttention(Tensor q, Tensor k, Tensor v, Tensor mask, long maxScores) {
    long rows = q.size(-2);
    long perRow = Math.max(1, q.numel() / (rows * q.size(-1)) * k.size(-2));
    long block = Math.max(1, maxScores / perRow);
    if (block >= rows) {
      return mathBlock(q, k, v, mask);
    }
    TensorVector parts = new TensorVector();
    for (long r = 0; r < rows; r += block) {
      long n = Math.min(block, rows - r);
      Tensor m =
          mask == null || mask.dim() < 2 || mask.size(-2) == 1 ? mask : mask.narrow(-2, r, n);
      parts.push_back(mathBlock(q.narrow(-2, r, n), k, v, m));
    }
    return torch.cat(parts, -2);
  }

  private static Tensor mathBlock(Tensor q, Tensor k, Tensor v, Tensor mask) {
    Tensor scores = q.matmul(k.transpose(-2, -1)).mul_(new Scalar(1.0 / Math.sqrt(q.size(-1))));
    if (mask != null) {
      scores = scores.add(mask);
    }
    // libtorch's softmax accumulates bf16/f16 in float32 (HF's softmax(dtype=float32) in one pass
    // instead of three); a float32 mask leaves float32 scores, taken back to q's dtype
    return scores.softmax(-1).to(q.scalar_type()).matmul(v);
  }

  @Override
  public void close() {
    for (Linear l : new Linear[] {q, k, v, qkv}) {
      if (l != null) {
        l.close();
      }
    }
    out.close();
  }
}
