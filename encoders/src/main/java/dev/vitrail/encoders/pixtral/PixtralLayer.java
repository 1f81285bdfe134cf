package dev.vitrail.encoders.pixtral;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.GatedMlp;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.layers.RmsNorm;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.varlen.RotateHalf;
import dev.vitrail.encoders.varlen.Segments;
import dev.vitrail.encoders.varlen.VarlenAttention;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.pytorch.Tensor;

/**
 * One Pixtral layer: {@code x + o(attn(attention_norm(x)))}, then {@code x + down(act(gate(y)) ·
 * up(y))} with {@code y = ffn_norm(x)}; RMSNorm eps 1e-5 (hard-coded in HF), no biases, 2D rotary
 * on q and k, attention only inside each image.
 */
final class PixtralLayer implements AutoCloseable {
  /** HF's {@code PixtralRMSNorm} eps (not a config field). */
  static final double RMS_EPS = 1e-5;

  private final int heads;
  private final AttentionBackend backend;
  private final RmsNorm attentionNorm;
  private final Linear[] qkvo;
  private final RmsNorm ffnNorm;
  private final GatedMlp mlp;

  private PixtralLayer(
      int heads,
      AttentionBackend backend,
      RmsNorm attentionNorm,
      Linear[] qkvo,
      RmsNorm ffnNorm,
      GatedMlp mlp) {
    this.heads = heads;
    this.backend = backend;
    this.attentionNorm = attentionNorm;
    this.qkvo = qkvo;
    this.ffnNorm = ffnNorm;
    this.mlp = mlp;
  }

  /** Loads {@code transformer.layers.<index>.*}; on failure closes what it had taken. */
  static PixtralLayer load(
      WeightMap w, int index, int hidden, int intermediate, int heads, Activation act) {
    String p = "transformer.layers." + index + ".";
    Parts owned = new Parts();
    try {
      RmsNorm an = owned.add(RmsNorm.load(w, p + "attention_norm", hidden, RMS_EPS));
      Linear[] qkvo = new Linear[4];
      String[] names = {"q_proj", "k_proj", "v_proj", "o_proj"};
      for (int i = 0; i < 4; i++) {
        qkvo[i] = owned.add(Linear.load(w, p + "attention." + names[i], hidden, hidden, false));
      }
      RmsNorm fn = owned.add(RmsNorm.load(w, p + "ffn_norm", hidden, RMS_EPS));
      GatedMlp mlp =
          owned.add(GatedMlp.load(w, p + "feed_forward", hidden, intermediate, false, act));
      return new PixtralLayer(heads, w.target().attention(hidden / heads), an, qkvo, fn, mlp);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** Runs the layer on {@code x [S, hidden]}; the result lives in the caller's scope. */
  Tensor forward(Tensor x, RotateHalf rotary, Segments images) {
    long s = x.size(0);
    Tensor n = attentionNorm.forward(x);
    Tensor q = rotary.apply(qkvo[0].forward(n).view(s, heads, -1));
    Tensor k = rotary.apply(qkvo[1].forward(n).view(s, heads, -1));
    Tensor v = qkvo[2].forward(n).view(s, heads, -1);
    Tensor h = x.add(qkvo[3].forward(VarlenAttention.attend(q, k, v, images, backend)));
    return h.add(mlp.forward(ffnNorm.forward(h)));
  }

  @Override
  public void close() {
    attentionNorm.close();
    for (Linear l : qkvo) {
      l.close();
    }
    ffnNorm.close();
    mlp.close();
  }
}
