package dev.vitrail.encoders.sharding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The fixtures' fake vision models ({@code fake_models} of dp_sharded.json), counting calls and
 * refusing empty inputs (a rank without images must not call the model).
 */
final class FakeModels {
  final AtomicInteger calls = new AtomicInteger();
  private final Tensor weight;
  private final Tensor bias;

  FakeModels(Tensor weight, Tensor bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** {@code y = x @ W^T + b} on the last axis. */
  Tensor linear(Tensor x) {
    calls.incrementAndGet();
    return x.matmul(weight.t()).add(bias);
  }

  /** Rows in consecutive groups of 4, averaged, then linear. */
  Tensor rope3d(Tensor pixels, List<long[]> grids) {
    requireRows(pixels);
    calls.incrementAndGet();
    return pixels.reshape(-1, 4, pixels.size(1)).mean(1).matmul(weight.t()).add(bias);
  }

  /**
   * vLLM's {@code SimpleMRopeVisionModel} (tests/models/multimodal/test_vision.py): linear, then
   * per image the first {@code (patches // 4) * 4} rows averaged in groups of 4 (floor division:
   * patch counts need not be multiples of 4). Unlike the others it accepts an empty input, as
   * vLLM's model does when called directly.
   */
  Tensor floorMerge(Tensor pixels, List<long[]> grids) {
    calls.incrementAndGet();
    Tensor y = pixels.matmul(weight.t()).add(bias);
    List<Tensor> parts = new ArrayList<>();
    long at = 0;
    for (long[] g : grids) {
      long n = 1;
      for (long d : g) {
        n *= d;
      }
      long merged = n / 4;
      if (merged > 0) {
        parts.add(y.narrow(0, at, merged * 4).reshape(merged, 4, -1).mean(1));
      }
      at += n;
    }
    return parts.isEmpty()
        ? y.new_zeros(new long[] {0, weight.size(0)})
        : torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
  }

  /**
   * Per image: linear, then the 2x2 merge-kernel layout [h*w/4, 4, hidden]. With {@code [k, 3]}
   * grids the frames of an entry are averaged first (MoonViT's {@code sd2_tpool}).
   */
  List<Tensor> rope2d(Tensor pixels, Tensor grid) {
    requireRows(pixels);
    calls.incrementAndGet();
    List<Tensor> out = new ArrayList<>();
    long at = 0;
    int rank = (int) grid.size(1);
    long[] g = new long[(int) grid.numel()];
    grid.contiguous().data_ptr_long().get(g);
    for (int i = 0; i < g.length / rank; i++) {
      long t = rank == 3 ? g[rank * i] : 1;
      long h = g[rank * i + rank - 2];
      long w = g[rank * i + rank - 1];
      Tensor p = pixels.narrow(0, at, t * h * w).matmul(weight.t()).add(bias);
      long hidden = p.size(1);
      p = p.reshape(t, h * w, hidden).mean(0);
      out.add(
          p.reshape(h / 2, 2, w / 2, 2, hidden)
              .permute(0, 2, 1, 3, 4)
              .reshape(h * w / 4, 4, hidden));
      at += t * h * w;
    }
    return out;
  }

  private static void requireRows(Tensor pixels) {
    if (pixels.size(0) == 0) {
      throw new AssertionError("the vision model was called with no rows");
    }
  }
}
