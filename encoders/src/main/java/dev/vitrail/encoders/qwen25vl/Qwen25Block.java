package dev.vitrail.encoders.qwen25vl;

import java.util.List;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * One Qwen2.5-VL vision block: {@code x + proj(attn(rms(x)))}, then {@code x +
 * down(silu(gate(r)) * up(r))} with {@code r = rms(x)}; RMSNorm eps 1e-6, fused qkv with bias.
 */
final class Qwen25Block implements AutoCloseable {
  static final double RMS_EPS = 1e-6;

  private final int heads;
  private final Tensor norm1;
  private final Tensor qkvWeight;
  private final Tensor qkvBias;
  private final Tensor projWeight;
  private final Tensor projBias;
  private final Tensor norm2;
  private final Tensor gateWeight;
  private final Tensor gateBias;
  private final Tensor upWeight;
  private final Tensor upBias;
  private final Tensor downWeight;
  private final Tensor downBias;

  /** Takes the weights of {@code blocks.<index>.} from {@code weights}. */
  Qwen25Block(WeightSource weights, int index, int hidden, int intermediate, int heads) {
    String p = "blocks." + index + ".";
    this.heads = heads;
    norm1 = weights.take(p + "norm1.weight", hidden);
    qkvWeight = weights.take(p + "attn.qkv.weight", 3L * hidden, hidden);
    qkvBias = weights.take(p + "attn.qkv.bias", 3L * hidden);
    projWeight = weights.take(p + "attn.proj.weight", hidden, hidden);
    projBias = weights.take(p + "attn.proj.bias", hidden);
    norm2 = weights.take(p + "norm2.weight", hidden);
    gateWeight = weights.take(p + "mlp.gate_proj.weight", intermediate, hidden);
    gateBias = weights.take(p + "mlp.gate_proj.bias", intermediate);
    upWeight = weights.take(p + "mlp.up_proj.weight", intermediate, hidden);
    upBias = weights.take(p + "mlp.up_proj.bias", intermediate);
    downWeight = weights.take(p + "mlp.down_proj.weight", hidden, intermediate);
    downBias = weights.take(p + "mlp.down_proj.bias", hidden);
  }

  /**
   * Runs the block on {@code x} ({@code [S, hidden]}, window order) attending inside {@code runs}.
   */
  Tensor forward(Tensor x, Rotary rotary, List<SegmentRun> runs) {
    long s = x.size(0);
    long hidden = x.size(1);
    Tensor h = rms(x, norm1);
    // [S, 3, heads, headDim]: q, k, v with heads contiguous
    Tensor qkv = torch.linear(h, qkvWeight, new TensorOptional(qkvBias)).view(s, 3, heads, -1);
    TensorVector parts = qkv.unbind(1);
    Tensor q = rotary.apply(parts.get(0));
    Tensor k = rotary.apply(parts.get(1));
    Tensor attn = SegmentAttention.attend(q, k, parts.get(2), runs);
    x = x.add(torch.linear(attn, projWeight, new TensorOptional(projBias)));
    Tensor r = rms(x, norm2);
    Tensor gate = torch.silu(torch.linear(r, gateWeight, new TensorOptional(gateBias)));
    Tensor up = torch.linear(r, upWeight, new TensorOptional(upBias));
    return x.add(torch.linear(gate.mul(up), downWeight, new TensorOptional(downBias)))
        .view(s, hidden);
  }

  static Tensor rms(Tensor x, Tensor weight) {
    return torch.rms_norm(
        x, new long[] {x.size(-1)}, new TensorOptional(weight), new DoubleOptional(RMS_EPS));
  }

  @Override
  public void close() {
    for (Tensor t :
        new Tensor[] {
          norm1, qkvWeight, qkvBias, projWeight, projBias, norm2,
          gateWeight, gateBias, upWeight, upBias, downWeight, downBias
        }) {
      t.close();
    }
  }
}
