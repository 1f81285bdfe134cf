package dev.vitrail.encoders.qwen3vl;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.varlen.RotateHalf;
import dev.vitrail.encoders.varlen.Segments;
import dev.vitrail.encoders.varlen.VarlenAttention;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * One Qwen3-VL vision block: {@code x + proj(attn(norm1(x)))}, then {@code x +
 * fc2(act(fc1(norm2(x))))}; LayerNorm eps 1e-6 (hard-coded in HF), fused qkv with bias, 2D rotary
 * (rotate-half) on q and k, attention inside each frame.
 */
final class Qwen3VlBlock implements AutoCloseable {
  /** HF's LayerNorm eps in the vision tower (not a config field). */
  static final double LN_EPS = 1e-6;

  private final int heads;
  private final AttentionBackend backend;
  private final Activation act;
  private final LayerNorm norm1;
  private final Linear qkv;
  private final Linear proj;
  private final LayerNorm norm2;
  private final Linear fc1;
  private final Linear fc2;

  private Qwen3VlBlock(int heads, AttentionBackend backend, Activation act, AutoCloseable[] p) {
    this.heads = heads;
    this.backend = backend;
    this.act = act;
    this.norm1 = (LayerNorm) p[0];
    this.qkv = (Linear) p[1];
    this.proj = (Linear) p[2];
    this.norm2 = (LayerNorm) p[3];
    this.fc1 = (Linear) p[4];
    this.fc2 = (Linear) p[5];
  }

  /** Loads {@code blocks.<index>.*}; on failure closes what it had taken. */
  static Qwen3VlBlock load(
      WeightMap w, int index, int hidden, int intermediate, int heads, Activation act) {
    String p = "blocks." + index + ".";
    Owned owned = new Owned();
    try {
      AutoCloseable[] parts = {
        owned.add(LayerNorm.load(w, p + "norm1", hidden, LN_EPS)),
        owned.add(Linear.load(w, p + "attn.qkv", hidden, 3L * hidden, true)),
        owned.add(Linear.load(w, p + "attn.proj", hidden, hidden, true)),
        owned.add(LayerNorm.load(w, p + "norm2", hidden, LN_EPS)),
        owned.add(Linear.load(w, p + "mlp.linear_fc1", hidden, intermediate, true)),
        owned.add(Linear.load(w, p + "mlp.linear_fc2", intermediate, hidden, true))
      };
      return new Qwen3VlBlock(heads, w.target().attention(hidden / heads), act, parts);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** Runs the block on {@code x [S, hidden]}; the result lives in the caller's scope. */
  Tensor forward(Tensor x, RotateHalf rotary, Segments frames) {
    long s = x.size(0);
    TensorVector parts = qkv.forward(norm1.forward(x)).view(s, 3, heads, -1).unbind(1);
    Tensor q = rotary.apply(parts.get(0));
    Tensor k = rotary.apply(parts.get(1));
    Tensor h = x.add(proj.forward(VarlenAttention.attend(q, k, parts.get(2), frames, backend)));
    return h.add(fc2.forward(act.apply(fc1.forward(norm2.forward(h)))));
  }

  @Override
  public void close() {
    norm1.close();
    qkv.close();
    proj.close();
    norm2.close();
    fc1.close();
    fc2.close();
  }
}
