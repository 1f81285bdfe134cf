package dev.vitrail.bench.encoders;

import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.tensor.OneDnn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Where a ViT encoder layer's time goes: the ops of {@code EncoderLayer} (CLIP ViT-B/16 shapes by
 * default, 12 layers of distinct random weights so that weights stream from memory as in a tower)
 * timed one by one, wall and process CPU time summed per op kind, median over passes.
 *
 * <p>Usage: {@code LayerProfile [--batch 1] [--tokens 197] [--dim 768] [--inner 3072] [--heads 12]
 * [--layers 12] [--iters 5] [--torch-threads 1] [--blas-threads 2] [--kernel dense|onednn|both]
 * [--dtype f32|bf16] [--alternatives]} ({@code both}: the two linear kernels in alternating passes;
 * {@code --alternatives}: also times an explicit matmul-softmax-matmul attention and a one-pass
 * SiLU beside the ops that are used). CPU time is the calling thread's at one thread per pool, else
 * the sum over the process's threads.
 */
public final class LayerProfile {
  private static CpuClock clock;
  private static boolean alternatives;
  private static boolean bf16;
  private final Map<String, double[]> sums = new LinkedHashMap<>();

  private LayerProfile() {}

  public static void main(String[] args) {
    Map<String, Integer> o = new LinkedHashMap<>();
    o.putAll(
        Map.of(
            "batch",
            1,
            "tokens",
            197,
            "dim",
            768,
            "inner",
            3072,
            "heads",
            12,
            "layers",
            12,
            "iters",
            5,
            "torch-threads",
            1,
            "blas-threads",
            2));
    String kernel = "dense";
    for (int i = 0; i < args.length; i += 2) {
      String k = args[i].substring(2);
      if (k.equals("alternatives")) {
        alternatives = true;
        i--;
      } else if (k.equals("kernel")) {
        kernel = args[i + 1];
      } else if (k.equals("dtype")) {
        bf16 =
            switch (args[i + 1]) {
              case "f32" -> false;
              case "bf16" -> true;
              default -> throw new IllegalArgumentException("--dtype f32|bf16, not " + args[i + 1]);
            };
      } else {
        o.put(k, Integer.parseInt(args[i + 1]));
      }
    }
    NativeTorch.configureThreads(o.get("torch-threads"), o.get("blas-threads"));
    clock = new CpuClock(o.get("torch-threads") == 1 && o.get("blas-threads") == 1);
    new LayerProfile().run(o, kernel);
  }

  private void run(Map<String, Integer> o, String kernel) {
    int b = o.get("batch");
    int n = o.get("tokens");
    int c = o.get("dim");
    int f = o.get("inner");
    int layers = o.get("layers");
    boolean[] kernels =
        kernel.equals("both")
            ? new boolean[] {false, true}
            : new boolean[] {kernel.equals("onednn")};
    try (PointerScope keep = new PointerScope()) {
      Tensor[][][] w = new Tensor[2][layers][];
      for (int l = 0; l < layers; l++) {
        Tensor[] dense = {
          typed(torch.randn(c, c)),
          typed(torch.randn(c, c)),
          typed(torch.randn(c, c)),
          typed(torch.randn(c, c)),
          typed(torch.randn(f, c)),
          typed(torch.randn(c, f)),
          typed(torch.randn(c)),
          typed(torch.randn(f)),
          typed(torch.ones(c)),
          typed(torch.zeros(c))
        };
        w[0][l] = dense;
        w[1][l] = dense.clone();
        for (int i = 0; i < 6; i++) {
          w[1][l][i] = OneDnn.pack(dense[i]);
        }
      }
      Tensor x0 = typed(torch.randn(b, n, c));
      int iters = o.get("iters");
      List<Map<String, double[]>> runs = new ArrayList<>();
      for (int it = -1; it < iters; it++) {
        for (boolean onednn : kernels) {
          sums.clear();
          double[] all = time(() -> pass(x0, w[onednn ? 1 : 0], o.get("heads"), onednn));
          sums.put("TOTAL " + (onednn ? "onednn" : "dense"), all);
          if (it >= 0) {
            runs.add(new LinkedHashMap<>(sums));
          }
        }
      }
      report(runs, b);
    }
  }

  private Tensor pass(Tensor x0, Tensor[][] w, int heads, boolean onednn) {
    try (PointerScope scope = new PointerScope()) {
      Tensor x = x0;
      long b = x.size(0);
      long n = x.size(1);
      long c = x.size(2);
      for (Tensor[] lw : w) {
        Tensor xx = x;
        Tensor ln1 = op("layer_norm", () -> norm(xx, lw));
        Tensor q = op("linear C->C (q,k,v,out)", () -> lin(ln1, lw[0], lw[6], onednn));
        Tensor k = op("linear C->C (q,k,v,out)", () -> lin(ln1, lw[1], lw[6], onednn));
        Tensor v = op("linear C->C (q,k,v,out)", () -> lin(ln1, lw[2], lw[6], onednn));
        Tensor a =
            op(
                "sdpa",
                () ->
                    torch.scaled_dot_product_attention(
                        q.view(b, n, heads, -1).transpose(1, 2),
                        k.view(b, n, heads, -1).transpose(1, 2),
                        v.view(b, n, heads, -1).transpose(1, 2),
                        new TensorOptional(),
                        0.0,
                        false,
                        new DoubleOptional(),
                        false));
        if (alternatives) {
          op(
              "  alt: math attention",
              () -> {
                Tensor qh = q.view(b, n, heads, -1).transpose(1, 2);
                Tensor kh = k.view(b, n, heads, -1).transpose(1, 2);
                Tensor vh = v.view(b, n, heads, -1).transpose(1, 2);
                Tensor sc =
                    qh.matmul(kh.transpose(-2, -1)).mul_(new Scalar(1.0 / Math.sqrt(c / heads)));
                return sc.softmax(-1).matmul(vh);
              });
        }
        Tensor merged = op("merge heads (copy)", () -> a.transpose(1, 2).reshape(b, n, -1));
        Tensor proj = op("linear C->C (q,k,v,out)", () -> lin(merged, lw[3], lw[6], onednn));
        Tensor h1 = op("residual add", () -> xx.add(proj));
        Tensor ln2 = op("layer_norm", () -> norm(h1, lw));
        Tensor up = op("linear C->4C (fc1)", () -> lin(ln2, lw[4], lw[7], onednn));
        Tensor act =
            op(
                "quick_gelu (3 passes)",
                () -> {
                  Tensor t = up.mul(new Scalar(1.702));
                  t.sigmoid_();
                  return t.mul_(up);
                });
        if (alternatives) {
          op("  alt: silu (1 pass)", () -> torch.silu(up));
        }
        Tensor down = op("linear 4C->C (fc2)", () -> lin(act, lw[5], lw[6], onednn));
        x = op("residual add", () -> h1.add_(down));
      }
      return x;
    }
  }

  /** {@code t} in the profiled dtype ({@code --dtype bf16}: a bfloat16 copy, as the tower's). */
  private static Tensor typed(Tensor t) {
    return bf16 ? t.to(torch.ScalarType.BFloat16) : t;
  }

  private static Tensor lin(Tensor x, Tensor weight, Tensor bias, boolean onednn) {
    return onednn
        ? OneDnn.linear(x, weight, bias)
        : torch.linear(x, weight, new TensorOptional(bias));
  }

  private static Tensor norm(Tensor x, Tensor[] lw) {
    return torch.layer_norm(
        x,
        new long[] {x.size(2)},
        new TensorOptional(lw[8]),
        new TensorOptional(lw[9]),
        1e-5,
        false);
  }

  private Tensor op(String kind, Supplier<Tensor> f) {
    Tensor[] out = new Tensor[1];
    double[] t = clock.time(() -> out[0] = f.get());
    double[] s = sums.computeIfAbsent(kind, k -> new double[2]);
    s[0] += t[0];
    s[1] += t[1];
    return out[0];
  }

  private static double[] time(Supplier<Tensor> f) {
    return clock.time(f::get);
  }

  private static void report(List<Map<String, double[]>> runs, int b) {
    Map<String, List<double[]>> byKind = new LinkedHashMap<>();
    for (Map<String, double[]> r : runs) {
      String total =
          r.keySet().stream().filter(k -> k.startsWith("TOTAL")).findFirst().orElseThrow();
      r.forEach((k, v) -> byKind.computeIfAbsent(total + " | " + k, x -> new ArrayList<>()).add(v));
    }
    byKind.forEach(
        (k, vs) -> {
          double[] wall = vs.stream().mapToDouble(v -> v[0]).sorted().toArray();
          double[] cpu = vs.stream().mapToDouble(v -> v[1]).sorted().toArray();
          System.out.printf(
              "%-52s median wall %7.1f cpu %7.1f ms/image (cpu min %.1f max %.1f, n=%d)%n",
              k,
              wall[wall.length / 2] / b,
              cpu[cpu.length / 2] / b,
              cpu[0] / b,
              cpu[cpu.length - 1] / b,
              cpu.length);
        });
  }
}
