package dev.vitrail.encoders.varlen;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * The pre-norm block of the rotary towers with a fused qkv (Qwen3-VL, Kimi K2.5's MoonViT): {@code
 * h = x + proj(attn(norm1(x)))}, then {@code h + fc2(act(fc1(norm2(h))))}; LayerNorms, every linear
 * with bias, the tower's rotary on q and k, attention inside each segment. The towers differ only
 * in their tensor names, LayerNorm eps, activation and rotary layout.
 */
public final class FusedQkvBlock implements AutoCloseable {
  /**
   * The tensor names under a block's prefix.
   *
   * @param norm1 the LayerNorm before attention
   * @param qkv the fused {@code [3·hidden, hidden]} projection, rows {@code [q; k; v]}
   * @param proj the attention output projection
   * @param norm2 the LayerNorm before the MLP
   * @param fc1 the MLP's first linear ({@code [intermediate, hidden]})
   * @param fc2 the MLP's second linear ({@code [hidden, intermediate]})
   */
  public record Names(
      String norm1, String qkv, String proj, String norm2, String fc1, String fc2) {}

  private final int heads;
  private final AttentionBackend backend;
  private final Activation act;
  private final LayerNorm norm1;
  private final Linear qkv;
  private final Linear proj;
  private final LayerNorm norm2;
  private final Linear fc1;
  private final Linear fc2;

  private FusedQkvBlock(int heads, AttentionBackend backend, Activation act, AutoCloseable[] p) {
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

  /**
   * Loads the block under {@code prefix} (ending in a dot); on failure closes what it had taken.
   */
  public static FusedQkvBlock load(
      WeightMap w,
      String prefix,
      Names names,
      int hidden,
      int intermediate,
      int heads,
      Activation act,
      double eps) {
    Parts owned = new Parts();
    try {
      AutoCloseable[] parts = {
        owned.add(LayerNorm.load(w, prefix + names.norm1(), hidden, eps)),
        owned.add(Linear.load(w, prefix + names.qkv(), hidden, 3L * hidden, true)),
        owned.add(Linear.load(w, prefix + names.proj(), hidden, hidden, true)),
        owned.add(LayerNorm.load(w, prefix + names.norm2(), hidden, eps)),
        owned.add(Linear.load(w, prefix + names.fc1(), hidden, intermediate, true)),
        owned.add(Linear.load(w, prefix + names.fc2(), intermediate, hidden, true))
      };
      return new FusedQkvBlock(heads, w.target().attention(hidden / heads), act, parts);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /**
   * Runs the block on {@code x [S, hidden]}; {@code rotary} turns q and k {@code [S, heads, d]}.
   * The result lives in the caller's scope.
   */
  public Tensor forward(Tensor x, UnaryOperator<Tensor> rotary, Segments segments) {
    long s = x.size(0);
    TensorVector parts = qkv.forward(norm1.forward(x)).view(s, 3, heads, -1).unbind(1);
    Tensor q = rotary.apply(parts.get(0));
    Tensor k = rotary.apply(parts.get(1));
    Tensor h = x.add(proj.forward(VarlenAttention.attend(q, k, parts.get(2), segments, backend)));
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
