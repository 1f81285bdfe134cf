package dev.vitrail.bench.encoders;

import dev.vitrail.encoders.tensor.MlasLinear;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.tensor.OneDnn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Alternative single-thread implementations of a ViT-B/16 tower's pieces timed side by side (CLIP
 * ViT-B/16 shapes, 197 tokens, 12 heads of 64): every alternative runs once per round, rounds
 * repeat, and the calling thread's CPU time per image is reported as the minimum (the least
 * disturbed on a shared machine) and the median.
 *
 * <p>Usage: {@code OpProbe attention|attention-bf16|gemm|mkl-gemm|misc [--batch 4] [--rounds 9]
 * [--ways 1]} ({@code mkl-gemm}: {@link MklGemmProbe}, with the {@code -Pmkl} build). {@code
 * attention}: 12 layers of libtorch's SDPA on the strided head views the tower passes it, against
 * explicit matmul-softmax-matmul variants (4-D matmul with copies, per-image strided {@code bmm}
 * with the softmax in place and the output written straight into the merged {@code [B, N, C]}
 * layout, a grouped 1-D convolution) and their parts; {@code attention-bf16}: the same on bfloat16
 * q, k and v, SDPA against the tower's {@code MATH} attention and its parts, and SDPA on float32
 * copies (both: {@link AttentionProbe}); {@code gemm}: the three linear shapes at {@code 197·B}
 * rows (12 distinct weights each, cycled as a tower's layers stream theirs from memory; with {@code
 * --ways n > 1} a tensor-parallel shard's four shapes instead: fused q/k/v, out-projection, fc1,
 * fc2 of a 1/n share) and a 2048³ product through {@code torch.linear} (OpenBLAS), {@code addmm} on
 * a transposed copy, {@code mm} without bias, oneDNN's packed linear and, with ONNX Runtime on the
 * class path ({@code VITRAIL_PROFILES=mlas}), MLAS's packed GEMM ({@link MlasLinear}), as GFLOP/s;
 * {@code misc}: the patch convolution against im2col + GEMM, 24 layer norms, 12 SiLU passes, 24
 * residual adds.
 */
public final class OpProbe {
  static final int N = 197;
  static final int C = 768;
  static final int H = 12;
  static final int D = 64;
  static final int LAYERS = 12;

  private OpProbe() {}

  public static void main(String[] args) {
    String what = args[0];
    int b = 4;
    int rounds = 9;
    int ways = 1;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--batch" -> b = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--ways" -> ways = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    boolean mkl = what.equals("mkl-gemm");
    if (mkl && !MklGemmProbe.available()) {
      return;
    }
    if (mkl && System.getProperty("vitrail.workers.blas") == null) {
      NativeTorch.selectBlas("openblas"); // MKL on the class path: libtorch's side stays OpenBLAS
    }
    NativeTorch.configureThreads(1, 1);
    CpuClock clock = new CpuClock(true);
    List<Pointer> mklBuffers = List.of();
    List<MlasLinear> mlasLayers = new ArrayList<>();
    try (PointerScope keep = new PointerScope()) {
      Map<String, Runnable> alts = new LinkedHashMap<>();
      Map<String, Double> divisor = new LinkedHashMap<>();
      switch (what) {
        case "attention" -> AttentionProbe.float32(alts, b);
        case "attention-bf16" -> AttentionProbe.bf16(alts, b);
        case "gemm" -> gemm(alts, divisor, b, ways, mlasLayers);
        case "misc" -> misc(alts, b);
        case "mkl-gemm" -> mklBuffers = MklGemmProbe.alternatives(alts, divisor, b, ways);
        default ->
            throw new IllegalArgumentException(
                "attention, attention-bf16, gemm, mkl-gemm or misc, not " + what);
      }
      Map<String, List<Double>> ms = new LinkedHashMap<>();
      for (int r = -1; r < rounds; r++) {
        for (Map.Entry<String, Runnable> e : alts.entrySet()) {
          double t;
          try (PointerScope scope = new PointerScope()) {
            t = clock.time(e.getValue())[1];
          }
          if (r >= 0) {
            ms.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(t);
          }
        }
      }
      for (Map.Entry<String, List<Double>> e : ms.entrySet()) {
        List<Double> v = new ArrayList<>(e.getValue());
        Collections.sort(v);
        Double flop = divisor.get(e.getKey());
        if (flop != null) {
          System.out.printf(
              "%-58s CPU ms min %7.1f median %7.1f, GFLOP/s best %6.1f median %6.1f%n",
              e.getKey(),
              v.get(0),
              v.get(v.size() / 2),
              flop / v.get(0) / 1e6,
              flop / v.get(v.size() / 2) / 1e6);
        } else {
          System.out.printf(
              "%-58s CPU ms/image min %7.2f median %7.2f%n",
              e.getKey(), v.get(0) / b, v.get(v.size() / 2) / b);
        }
      }
      if (mkl) {
        MklGemmProbe.totals(ms);
      }
    } finally {
      MklGemmProbe.free(mklBuffers);
      mlasLayers.forEach(MlasLinear::close);
    }
  }

  private static void gemm(
      Map<String, Runnable> alts,
      Map<String, Double> flops,
      int b,
      int ways,
      List<MlasLinear> mlasLayers) {
    boolean mlas = MlasLinear.available();
    if (!mlas) {
      System.out.println(
          "gemm: no ONNX Runtime on the class path (VITRAIL_PROFILES=mlas): no MLAS row");
    }
    long[][] shapes =
        ways == 1
            ? new long[][] {{C, C}, {4L * C, C}, {C, 4L * C}, {2048, 2048}}
            : new long[][] {
              {3L * C / ways, C}, {C, (long) C / ways}, {4L * C / ways, C}, {C, 4L * C / ways}
            };
    for (long[] s : shapes) {
      long out = s[0];
      long in = s[1];
      boolean square = out == 2048;
      long rows = square ? 2048 : (long) b * N;
      int copies = square ? 1 : LAYERS; // a tower's weights stream from memory: one per layer
      Tensor x = torch.randn(rows, in);
      Tensor[] w = new Tensor[copies];
      Tensor[] wt = new Tensor[copies];
      Tensor[] packed = new Tensor[copies];
      for (int l = 0; l < copies; l++) {
        w[l] = torch.randn(out, in);
        wt[l] = w[l].t().contiguous();
        packed[l] = OneDnn.pack(w[l]);
      }
      Tensor bias = torch.randn(out);
      MlasLinear[] mlasW = new MlasLinear[copies];
      for (int l = 0; mlas && l < copies; l++) {
        mlasW[l] = MlasLinear.create(w[l], bias);
        mlasLayers.add(mlasW[l]);
      }
      String key = rows + "x" + in + " -> " + out + (copies > 1 ? " (x" + copies + ")" : "") + ": ";
      put(
          alts,
          flops,
          key + "torch.linear (OpenBLAS)",
          rows * copies,
          in,
          out,
          () -> each(copies, l -> linear(x, w[l], bias)));
      put(
          alts,
          flops,
          key + "addmm on Wᵀ copy",
          rows * copies,
          in,
          out,
          () -> each(copies, l -> torch.addmm(bias, x, wt[l])));
      put(
          alts,
          flops,
          key + "mm, no bias",
          rows * copies,
          in,
          out,
          () -> each(copies, l -> torch.mm(x, w[l].t())));
      put(
          alts,
          flops,
          key + "oneDNN packed",
          rows * copies,
          in,
          out,
          () -> each(copies, l -> OneDnn.linear(x, packed[l], bias)));
      if (mlas) {
        put(
            alts,
            flops,
            key + "MLAS packed (ONNX Runtime)",
            rows * copies,
            in,
            out,
            () -> each(copies, l -> mlasW[l].forward(x)));
      }
      put(
          alts,
          flops,
          key + "W·xᵀ (197 rows as BLAS's M)",
          rows * copies,
          in,
          out,
          () -> each(copies, l -> torch.mm(w[l], x.t())));
      put(
          alts,
          flops,
          key + "W·xᵀ, then transposed back",
          rows * copies,
          in,
          out,
          () -> each(copies, l -> torch.mm(w[l], x.t()).t().contiguous()));
    }
  }

  private static void misc(Map<String, Runnable> alts, int b) {
    Tensor px = torch.randn(b, 3, 224, 224);
    Tensor w = torch.randn(C, 3, 16, 16);
    Tensor x = torch.randn(b, N, C);
    Tensor g = torch.ones(C);
    Tensor beta = torch.zeros(C);
    Tensor hidden = torch.randn((long) b * N, 4L * C);
    alts.put(
        "patch conv2d (stride 16)",
        () ->
            torch
                .conv2d(
                    px,
                    w,
                    new TensorOptional(),
                    new long[] {16, 16},
                    new long[] {0, 0},
                    new long[] {1, 1},
                    1)
                .flatten(2, 3)
                .transpose(1, 2)
                .contiguous());
    alts.put(
        "patch im2col copy + mm",
        () ->
            torch.mm(
                px.view(b, 3, 14, 16, 14, 16).permute(0, 2, 4, 1, 3, 5).reshape(b * 196L, C),
                w.view(C, -1).t()));
    alts.put(
        "layer_norm x24",
        () -> {
          for (int i = 0; i < 2 * LAYERS; i++) {
            torch.layer_norm(
                x, new long[] {C}, new TensorOptional(g), new TensorOptional(beta), 1e-5, false);
          }
        });
    alts.put("silu_ x12 on [197·B, 3072]", () -> each(l -> torch.silu_(hidden)));
    alts.put("residual add x24 (new tensor)", () -> each(l -> x.add(x).add(x)));
  }

  private static void put(
      Map<String, Runnable> alts,
      Map<String, Double> flops,
      String key,
      long rows,
      long in,
      long out,
      Runnable r) {
    alts.put(key, r);
    flops.put(key, 2.0 * rows * in * out);
  }

  private static Tensor linear(Tensor x, Tensor w, Tensor bias) {
    return torch.linear(x, w, new TensorOptional(bias));
  }

  static void each(java.util.function.IntFunction<Tensor> layer) {
    each(LAYERS, layer);
  }

  private static void each(int count, java.util.function.IntFunction<Tensor> layer) {
    for (int l = 0; l < count; l++) {
      layer.apply(l);
    }
  }
}
