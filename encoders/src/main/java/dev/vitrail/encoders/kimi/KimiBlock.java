package dev.vitrail.encoders.kimi;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.varlen.Segments;
import dev.vitrail.encoders.varlen.VarlenAttention;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * One MoonViT block: {@code x + wo(attn(norm0(x)))}, then {@code x +
 * fc1(gelu_tanh(fc0(norm1(x))))}; LayerNorm eps 1e-5, fused {@code wqkv} with bias, pair rotary on
 * q and k, attention inside each entry (across its frames).
 */
final class KimiBlock implements AutoCloseable {
  /** LayerNorm eps of the tower (fixed, not a config field). */
  static final double LN_EPS = 1e-5;

  private final int heads;
  private final AttentionBackend backend;
  private final LayerNorm norm0;
  private final Linear wqkv;
  private final Linear wo;
  private final LayerNorm norm1;
  private final Linear fc0;
  private final Linear fc1;

  private KimiBlock(int heads, AttentionBackend backend, AutoCloseable[] parts) {
    this.heads = heads;
    this.backend = backend;
    this.norm0 = (LayerNorm) parts[0];
    this.wqkv = (Linear) parts[1];
    this.wo = (Linear) parts[2];
    this.norm1 = (LayerNorm) parts[3];
    this.fc0 = (Linear) parts[4];
    this.fc1 = (Linear) parts[5];
  }

  /** Loads {@code encoder.blocks.<index>.*}; on failure closes what it had taken. */
  static KimiBlock load(WeightMap w, int index, int hidden, int intermediate, int heads) {
    String p = "encoder.blocks." + index + ".";
    Owned owned = new Owned();
    try {
      AutoCloseable[] parts = {
        owned.add(LayerNorm.load(w, p + "norm0", hidden, LN_EPS)),
        owned.add(Linear.load(w, p + "wqkv", hidden, 3L * hidden, true)),
        owned.add(Linear.load(w, p + "wo", hidden, hidden, true)),
        owned.add(LayerNorm.load(w, p + "norm1", hidden, LN_EPS)),
        owned.add(Linear.load(w, p + "mlp.fc0", hidden, intermediate, true)),
        owned.add(Linear.load(w, p + "mlp.fc1", intermediate, hidden, true))
      };
      return new KimiBlock(heads, w.target().attention(hidden / heads), parts);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** Runs the block on {@code x [S, hidden]}; the result lives in the caller's scope. */
  Tensor forward(Tensor x, PairRotary rotary, Segments entries) {
    long s = x.size(0);
    TensorVector qkv = wqkv.forward(norm0.forward(x)).view(s, 3, heads, -1).unbind(1);
    Tensor q = rotary.apply(qkv.get(0));
    Tensor k = rotary.apply(qkv.get(1));
    Tensor h = x.add(wo.forward(VarlenAttention.attend(q, k, qkv.get(2), entries, backend)));
    return h.add(fc1.forward(Activation.GELU_TANH.apply(fc0.forward(norm1.forward(h)))));
  }

  @Override
  public void close() {
    norm0.close();
    wqkv.close();
    wo.close();
    norm1.close();
    fc0.close();
    fc1.close();
  }
}
