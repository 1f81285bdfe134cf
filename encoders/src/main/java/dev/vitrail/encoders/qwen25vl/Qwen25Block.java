package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.GatedMlp;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.layers.RmsNorm;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.varlen.Segments;
import dev.vitrail.encoders.varlen.VarlenAttention;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * One Qwen2.5-VL vision block: {@code x + proj(attn(norm1(x)))}, then {@code x + down(act(gate(r))
 * * up(r))} with {@code r = norm2(x)}; RMSNorm eps 1e-6 (hard-coded in HF), fused qkv with bias, 2D
 * rotary on q and k, attention only inside segments.
 */
final class Qwen25Block implements AutoCloseable {
  /** HF's {@code Qwen2RMSNorm} eps in the vision tower (not read from the config). */
  static final double RMS_EPS = 1e-6;

  private final int heads;
  private final AttentionBackend backend;
  private final RmsNorm norm1;
  private final Linear qkv;
  private final Linear proj;
  private final RmsNorm norm2;
  private final GatedMlp mlp;

  private Qwen25Block(
      int heads,
      AttentionBackend backend,
      RmsNorm norm1,
      Linear qkv,
      Linear proj,
      RmsNorm norm2,
      GatedMlp mlp) {
    this.heads = heads;
    this.backend = backend;
    this.norm1 = norm1;
    this.qkv = qkv;
    this.proj = proj;
    this.norm2 = norm2;
    this.mlp = mlp;
  }

  /** Loads {@code blocks.<index>.*}; on failure closes what it had taken. */
  static Qwen25Block load(
      WeightMap w, int index, int hidden, int intermediate, int heads, Activation act) {
    String p = "blocks." + index + ".";
    Parts owned = new Parts();
    try {
      RmsNorm n1 = owned.add(RmsNorm.load(w, p + "norm1", hidden, RMS_EPS));
      Linear qkv = owned.add(Linear.load(w, p + "attn.qkv", hidden, 3L * hidden, true));
      Linear proj = owned.add(Linear.load(w, p + "attn.proj", hidden, hidden, true));
      RmsNorm n2 = owned.add(RmsNorm.load(w, p + "norm2", hidden, RMS_EPS));
      GatedMlp mlp = owned.add(GatedMlp.load(w, p + "mlp", hidden, intermediate, true, act));
      AttentionBackend backend = w.target().attention(hidden / heads);
      return new Qwen25Block(heads, backend, n1, qkv, proj, n2, mlp);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** Runs the block on {@code x [S, hidden]} (window order); result in the caller's scope. */
  Tensor forward(Tensor x, Rotary rotary, Segments runs) {
    long s = x.size(0);
    // [S, 3, heads, headDim]: q, k, v with heads contiguous
    TensorVector parts = qkv.forward(norm1.forward(x)).view(s, 3, heads, -1).unbind(1);
    Tensor q = rotary.apply(parts.get(0));
    Tensor k = rotary.apply(parts.get(1));
    Tensor h = x.add(proj.forward(VarlenAttention.attend(q, k, parts.get(2), runs, backend)));
    return h.add(mlp.forward(norm2.forward(h)));
  }

  @Override
  public void close() {
    norm1.close();
    qkv.close();
    proj.close();
    norm2.close();
    mlp.close();
  }
}
