package dev.vitrail.bench.encoders;

import dev.vitrail.encoders.select.BuiltinStrategy;
import dev.vitrail.encoders.select.EncoderOutputs;
import dev.vitrail.encoders.select.PostLayerNorm;
import dev.vitrail.encoders.sharding.DpSharding;
import dev.vitrail.encoders.sharding.ShardAssignment;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Overhead of the function layer against hand-written libtorch calls doing the same work, side by
 * side in one JVM: {@code resolve} on CLIP-L-sized hidden states, and the rope_3d DP layout against
 * one direct model call. Args: {@code [torchThreads] [runs]} (defaults 1, 21).
 */
public final class FunctionLayerBench {
  private static final int WARMUP = 3;

  private FunctionLayerBench() {}

  /** Runs the benchmark and prints one line per measurement. */
  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 21;
    NativeTorch.configureThreads(threads, 1);
    System.out.printf(Locale.ROOT, "torch threads %d, blas threads 1, runs %d%n", threads, runs);
    try (PointerScope scope = new PointerScope()) {
      torch.manual_seed(0);
      benchResolve(runs);
      benchRope3d(runs);
    }
  }

  private static void benchResolve(int runs) {
    // CLIP ViT-L/14-336: 24 layers + embeddings, 577 tokens, 1024 wide; batch 2.
    List<Tensor> states = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      states.add(torch.randn(2, 577, 1024));
    }
    Tensor w = torch.randn(1024);
    Tensor b = torch.randn(1024);
    PostLayerNorm norm = new PostLayerNorm(w, b, 1e-5);
    int[] layers = {-24, -16, -8, -1};
    double[] t =
        Timing.alternatingMedians(
            WARMUP,
            runs,
            () -> EncoderOutputs.resolveLayers(states, norm, layers, 24, BuiltinStrategy.DEFAULT),
            () -> {
              Tensor[] picked = new Tensor[layers.length];
              for (int k = 0; k < layers.length; k++) {
                picked[k] =
                    states.get(25 + layers[k]).slice(1, new LongOptional(1), new LongOptional(), 1);
              }
              picked[3] =
                  torch.layer_norm(
                      picked[3],
                      new long[] {1024},
                      new TensorOptional(w),
                      new TensorOptional(b),
                      1e-5,
                      false);
              torch.cat(new TensorVector(picked), -1);
            });
    print("resolve 4 of 25 states [2,577,1024], default+norm", t[0], t[1]);
  }

  private static void benchRope3d(int runs) {
    // Eight Qwen2-VL 476x644 images: grid [1, 34, 46] = 1564 patch rows of width 1176 each.
    List<long[]> grids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      grids.add(new long[] {1, 34, 46});
    }
    Tensor pixels = torch.randn(8 * 1564, 1176);
    Tensor proj = torch.randn(64, 1176);
    for (int world : new int[] {1, 2, 4}) {
      ShardAssignment byRank = roundRobin(8, 1564, world);
      double[] t =
          Timing.alternatingMedians(
              WARMUP,
              runs,
              () ->
                  DpSharding.runRope3d(
                      (x, g) -> x.reshape(-1, 4, 1176).mean(1).matmul(proj.t()),
                      2,
                      64,
                      pixels,
                      grids,
                      world,
                      (s, w) -> byRank),
              () -> pixels.reshape(-1, 4, 1176).mean(1).matmul(proj.t()).split(391, 0));
      print("rope_3d 8 images x 1564 rows, world " + world, t[0], t[1]);
    }
  }

  private static ShardAssignment roundRobin(int images, long size, int world) {
    int[] counts = new int[world];
    long[] loads = new long[world];
    int[] order = new int[images];
    int k = 0;
    for (int r = 0; r < world; r++) {
      for (int i = r; i < images; i += world) {
        order[k++] = i;
        counts[r]++;
        loads[r] += size;
      }
    }
    return new ShardAssignment(order, counts, loads);
  }

  private static void print(String what, double ours, double direct) {
    System.out.printf(
        Locale.ROOT,
        "%-52s vitrail %8.3f ms  direct %8.3f ms  ratio %.2f%n",
        what,
        ours,
        direct,
        ours / direct);
  }
}
