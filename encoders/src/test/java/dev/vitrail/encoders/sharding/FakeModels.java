package dev.vitrail.encoders.sharding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.pytorch.Tensor;

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

  /** Per image: linear, then the 2x2 merge-kernel layout [h*w/4, 4, hidden]. */
  List<Tensor> rope2d(Tensor pixels, Tensor gridHw) {
    requireRows(pixels);
    calls.incrementAndGet();
    List<Tensor> out = new ArrayList<>();
    long at = 0;
    long[] hw = new long[(int) gridHw.numel()];
    gridHw.contiguous().data_ptr_long().get(hw);
    for (int i = 0; i < hw.length / 2; i++) {
      long h = hw[2 * i];
      long w = hw[2 * i + 1];
      Tensor p = pixels.narrow(0, at, h * w).matmul(weight.t()).add(bias);
      long hidden = p.size(1);
      out.add(
          p.reshape(h / 2, 2, w / 2, 2, hidden)
              .permute(0, 2, 1, 3, 4)
              .reshape(h * w / 4, 4, hidden));
      at += h * w;
    }
    return out;
  }

  private static void requireRows(Tensor pixels) {
    if (pixels.size(0) == 0) {
      throw new AssertionError("the vision model was called with no rows");
    }
  }
}
