package dev.vitrail.encoders.split;

import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.Attention;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.tensor.LinearKernel;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One shard's part of an encoder layer (Megatron-style): its heads' rows of q, k and v fused into
 * one projection, the matching columns of the output projection, a slice of fc1's rows and the same
 * columns of fc2. Its two products are partial sums of the layer's attention and MLP outputs; shard
 * 0's carry the biases of the output projection and fc2, so the shards' partials add up to the
 * whole. Owns its weights (the layer norms are shared and owned by {@link SplitLayers}).
 */
final class LayerShard implements AutoCloseable {
  private final Linear qkv; // [3·h·D, C]
  private final Linear out; // [C, h·D], bias in shard 0 only
  private final Linear fc1; // [I_s, C]; quick GELU: scaled by 1.702
  private final Linear fc2; // [C, I_s], bias in shard 0 only; quick GELU: scaled by 1/1.702
  private final int heads;
  private final Activation act;
  private final AttentionBackend backend;

  LayerShard(
      Linear qkv,
      Linear out,
      Linear fc1,
      Linear fc2,
      int heads,
      Activation act,
      AttentionBackend backend) {
    this.qkv = qkv;
    this.out = out;
    this.fc1 = fc1;
    this.fc2 = fc2;
    this.heads = heads;
    this.act = act;
    this.backend = backend;
  }

  /**
   * This shard's part of the attention output for normalised {@code x [B, N, C]}, in the caller's
   * scope.
   */
  Tensor attention(Tensor x) {
    long b = x.size(0);
    long n = x.size(1);
    // [B, N, 3·h·D] -> [3, B, h, N, D]: q, k and v are views, no copy
    Tensor parts = qkv.forward(x).view(b, n, 3, heads, -1).permute(2, 0, 3, 1, 4);
    Tensor o =
        Attention.attend(parts.select(0, 0), parts.select(0, 1), parts.select(0, 2), null, backend);
    return out.forward(o.transpose(1, 2).reshape(b, n, -1));
  }

  /** This shard's part of the MLP output for normalised {@code x}, in the caller's scope. */
  Tensor mlp(Tensor x) {
    if (fc1.kernel() == LinearKernel.ONEDNN) {
      return fc2.forward(fc1.forwardFused(x, act.oneDnnPostOp(), act.oneDnnAlgorithm()));
    }
    Tensor h = fc1.forward(x);
    if (act == Activation.QUICK_GELU) {
      return fc2.forward(torch.silu_(h)); // the 1.702 scales are in the weights
    }
    return fc2.forward(act.apply(h));
  }

  @Override
  public void close() {
    qkv.close();
    out.close();
    fc1.close();
    fc2.close();
  }
}
