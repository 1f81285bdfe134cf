package dev.vitrail.encoders.split;

import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Cuts one HF encoder layer's weights ({@code self_attn.{q,k,v,out}_proj}, {@code mlp.fc1/fc2})
 * into {@link LayerShard}s: heads and MLP columns as evenly as they divide, every slice an owned
 * copy prepared for the target's linear kernel.
 */
final class ShardLoader {
  /** Quick GELU's {@code 1.702}, folded into fc1 (and its inverse into fc2). */
  private static final double QUICK_GELU_SCALE = 1.702;

  private ShardLoader() {}

  /**
   * The start of part {@code i} of {@code total} split {@code parts} ways (part i = [s(i),
   * s(i+1))).
   */
  static long start(long total, int parts, int i) {
    return total * i / parts;
  }

  /** Loads layer {@code name} (without its norms) as {@code shards} shards. */
  static LayerShard[] load(
      WeightMap w, String name, long dim, long inner, int heads, Activation act, int shards) {
    LinearKernel kernel = TowerSplit.kernel(w.target());
    long headDim = dim / heads;
    double scale = act == Activation.QUICK_GELU ? QUICK_GELU_SCALE : 1.0;
    String a = name + ".self_attn.";
    String m = name + ".mlp.";
    List<Tensor> taken = new ArrayList<>();
    List<LayerShard> built = new ArrayList<>();
    try {
      Tensor[] qkvW = new Tensor[3];
      Tensor[] qkvB = new Tensor[3];
      String[] proj = {"q_proj", "k_proj", "v_proj"};
      for (int p = 0; p < 3; p++) {
        qkvW[p] = take(taken, w, a + proj[p] + ".weight", dim, dim);
        qkvB[p] = take(taken, w, a + proj[p] + ".bias", dim);
      }
      Tensor outW = take(taken, w, a + "out_proj.weight", dim, dim);
      Tensor outB = take(taken, w, a + "out_proj.bias", dim);
      Tensor fc1W = take(taken, w, m + "fc1.weight", inner, dim);
      Tensor fc1B = take(taken, w, m + "fc1.bias", inner);
      Tensor fc2W = take(taken, w, m + "fc2.weight", dim, inner);
      Tensor fc2B = take(taken, w, m + "fc2.bias", dim);
      for (int s = 0; s < shards; s++) {
        long h0 = start(heads, shards, s);
        long hs = start(heads, shards, s + 1) - h0;
        long i0 = start(inner, shards, s);
        long is = start(inner, shards, s + 1) - i0;
        long r0 = h0 * headDim;
        long rn = hs * headDim;
        Linear qkv = linear(rows(qkvW, r0, rn), () -> rows(qkvB, r0, rn), kernel);
        Linear out = null;
        Linear fc1 = null;
        try {
          boolean first = s == 0;
          out =
              linear(
                  copy(outW.narrow(1, r0, rn), 1.0), () -> first ? copy(outB, 1.0) : null, kernel);
          fc1 =
              linear(
                  copy(fc1W.narrow(0, i0, is), scale),
                  () -> copy(fc1B.narrow(0, i0, is), scale),
                  kernel);
          Linear fc2 =
              linear(
                  copy(fc2W.narrow(1, i0, is), 1.0 / scale),
                  () -> first ? copy(fc2B, 1.0) : null,
                  kernel);
          built.add(
              new LayerShard(
                  qkv, out, fc1, fc2, (int) hs, act, w.target().attention((int) headDim)));
        } catch (RuntimeException e) {
          qkv.close();
          if (out != null) {
            out.close();
          }
          if (fc1 != null) {
            fc1.close();
          }
          throw e;
        }
      }
      return built.toArray(new LayerShard[0]);
    } catch (RuntimeException e) {
      built.forEach(LayerShard::close);
      throw e;
    } finally {
      taken.forEach(Tensor::close);
    }
  }

  /** A layer owning {@code weight} and the bias {@code bias} makes (or null). */
  private static Linear linear(Tensor weight, Supplier<Tensor> bias, LinearKernel kernel) {
    Tensor b;
    try {
      b = bias.get();
    } catch (RuntimeException e) {
      weight.close();
      throw e;
    }
    return Linear.create(weight, b, kernel);
  }

  private static Tensor take(List<Tensor> taken, WeightMap w, String name, long... shape) {
    Tensor t = w.take(name, shape);
    taken.add(t);
    return t;
  }

  /** Rows {@code [from, from + count)} of each part, stacked in order: an owned copy. */
  private static Tensor rows(Tensor[] parts, long from, long count) {
    try (PointerScope scope = new PointerScope()) {
      Tensor[] slices = new Tensor[parts.length];
      for (int i = 0; i < parts.length; i++) {
        slices[i] = parts[i].narrow(0, from, count);
      }
      Tensor t = torch.cat(new TensorVector(slices), 0).contiguous();
      t.retainReference();
      return t;
    }
  }

  /** {@code t · scale} as an owned contiguous copy. */
  private static Tensor copy(Tensor t, double scale) {
    try (PointerScope scope = new PointerScope()) {
      Tensor c = t.mul(new Scalar(scale)).contiguous();
      c.retainReference();
      return c;
    }
  }
}
