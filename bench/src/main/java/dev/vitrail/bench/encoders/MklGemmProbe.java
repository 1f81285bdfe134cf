package dev.vitrail.bench.encoders;

import dev.vitrail.encoders.tensor.BlasLibrary;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.mkl.global.mkl_rt;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code OpProbe mkl-gemm}: a ViT-B/16 layer's four linear shapes (fused q/k/v 768→2304,
 * out-projection 768→768, fc1 768→3072, fc2 3072→768; with {@code --ways n > 1} a tensor-parallel
 * shard's 1/n share) at {@code 197·B} rows, 12 distinct weights per shape cycled as a tower streams
 * its layers, through libtorch's {@code linear} (the BLAS libtorch loaded, OpenBLAS unless {@code
 * vitrail.workers.blas} says otherwise), MKL's {@code cblas_sgemm} on the same data, and MKL's
 * packed GEMM ({@code cblas_sgemm_pack} once per weight, {@code cblas_sgemm_compute} per call),
 * each with the bias added. MKL runs on one thread. Needs the MKL natives (build with {@code
 * -Pmkl}, {@code VITRAIL_PROFILES=mkl}); without them it says so and measures nothing.
 */
final class MklGemmProbe {
  private static final int N = 197;
  private static final int C = 768;
  private static final int LAYERS = 12;
  private static final String TORCH = "torch.linear";

  private MklGemmProbe() {}

  /** Whether the MKL natives are on the class path; prints why not when they are not. */
  static boolean available() {
    if (!BlasLibrary.mklAvailable()) {
      System.out.println(
          "mkl-gemm: the MKL natives are not on the class path; build with -Pmkl"
              + " (VITRAIL_PROFILES=mkl ./vitrail bench op-probe mkl-gemm ...). Nothing measured.");
      return false;
    }
    return true;
  }

  /**
   * Loads MKL at one thread, prints its version and libtorch's BLAS, and adds the alternatives for
   * each shape; returns the packed buffers, which the caller frees with {@link #free}.
   */
  static List<Pointer> alternatives(
      Map<String, Runnable> alts, Map<String, Double> flops, int b, int ways) {
    // libtorch binds its BLAS symbols lazily, at their first call: once MKL is loaded, a first
    // call would bind to MKL's sgemm_ instead of OpenBLAS's. Each of libtorch's float32 GEMM
    // forms is called once before.
    Tensor a = torch.randn(8, 8);
    torch.linear(a, a, new TensorOptional(a.select(0, 0)));
    torch.mm(a, a.t());
    torch.addmm(a, a, a);
    Loader.load(mkl_rt.class);
    mkl_rt.MKL_Set_Num_Threads(1);
    byte[] version = new byte[256];
    mkl_rt.MKL_Get_Version_String(version, version.length);
    int end = 0;
    while (end < version.length && version[end] != 0) {
      end++;
    }
    System.out.println("MKL: " + new String(version, 0, end, StandardCharsets.US_ASCII).trim());
    System.out.println("libtorch BLAS: " + NativeTorch.blas().settingName());
    long[][] shapes = {
      {3L * C / ways, C}, {C, (long) C / ways}, {4L * C / ways, C}, {C, 4L * C / ways}
    };
    List<Pointer> packedBuffers = new ArrayList<>();
    int m = b * N;
    for (long[] s : shapes) {
      int out = (int) s[0];
      int in = (int) s[1];
      Tensor x = torch.randn(m, in);
      Tensor[] w = new Tensor[LAYERS];
      Pointer[] packed = new Pointer[LAYERS];
      long bytes = mkl_rt.cblas_sgemm_pack_get_size(mkl_rt.CblasBMatrix, m, out, in);
      for (int l = 0; l < LAYERS; l++) {
        w[l] = torch.randn(out, in);
        packed[l] = mkl_rt.MKL_malloc(bytes, 64);
        packedBuffers.add(packed[l]);
        mkl_rt.cblas_sgemm_pack(
            mkl_rt.CblasRowMajor,
            mkl_rt.CblasBMatrix,
            mkl_rt.CblasTrans,
            m,
            out,
            in,
            1f,
            w[l].data_ptr_float(),
            in,
            new FloatPointer(packed[l]));
      }
      Tensor bias = torch.randn(out);
      Tensor biasRows = bias.expand(m, out).contiguous(); // each call's output starts as a copy
      Tensor y = torch.empty(m, out);
      checkParity(x, w[0], bias, packed[0], y, m, out, in);
      String key = m + "x" + in + " -> " + out + " (x" + LAYERS + "): ";
      double flop = 2.0 * m * LAYERS * in * out;
      alts.put(
          key + TORCH,
          () -> {
            for (int l = 0; l < LAYERS; l++) {
              torch.linear(x, w[l], new TensorOptional(bias));
            }
          });
      alts.put(
          key + "MKL cblas_sgemm",
          () -> {
            for (int l = 0; l < LAYERS; l++) {
              Tensor o = biasRows.clone();
              mkl_rt.cblas_sgemm(
                  mkl_rt.CblasRowMajor,
                  mkl_rt.CblasNoTrans,
                  mkl_rt.CblasTrans,
                  m,
                  out,
                  in,
                  1f,
                  x.data_ptr_float(),
                  in,
                  w[l].data_ptr_float(),
                  in,
                  1f,
                  o.data_ptr_float(),
                  out);
            }
          });
      alts.put(
          key + "MKL packed (sgemm_compute)",
          () -> {
            for (int l = 0; l < LAYERS; l++) {
              compute(x, packed[l], biasRows.clone(), m, out, in);
            }
          });
      for (String k : List.of(TORCH, "MKL cblas_sgemm", "MKL packed (sgemm_compute)")) {
        flops.put(key + k, flop);
      }
    }
    return packedBuffers;
  }

  /**
   * Prints each method's CPU ms over all four shapes per round (min and median over the rounds) and
   * its median ratio to {@code torch.linear} in the same round.
   */
  static void totals(Map<String, List<Double>> ms) {
    Map<String, double[]> perRound = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : ms.entrySet()) {
      String method = e.getKey().substring(e.getKey().indexOf(": ") + 2);
      double[] sum = perRound.computeIfAbsent(method, k -> new double[e.getValue().size()]);
      for (int r = 0; r < sum.length; r++) {
        sum[r] += e.getValue().get(r);
      }
    }
    double[] base = perRound.get(TORCH);
    for (Map.Entry<String, double[]> e : perRound.entrySet()) {
      double[] t = e.getValue();
      double[] ratio = new double[t.length];
      for (int r = 0; r < t.length; r++) {
        ratio[r] = t[r] / base[r];
      }
      System.out.printf(
          "all four shapes: %-28s CPU ms min %7.1f median %7.1f, ÷ torch.linear median %.3f%n",
          e.getKey(), min(t), median(t), median(ratio));
    }
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static void free(List<Pointer> packedBuffers) {
    for (Pointer p : packedBuffers) {
      mkl_rt.MKL_free(p);
    }
  }

  private static void compute(Tensor x, Pointer packed, Tensor o, int m, int out, int in) {
    mkl_rt.cblas_sgemm_compute(
        mkl_rt.CblasRowMajor,
        mkl_rt.CblasNoTrans,
        mkl_rt.CblasPacked,
        m,
        out,
        in,
        x.data_ptr_float(),
        in,
        new FloatPointer(packed),
        in,
        1f,
        o.data_ptr_float(),
        out);
  }

  /**
   * The packed product must equal libtorch's linear (float32 rounding aside), or nothing counts.
   */
  private static void checkParity(
      Tensor x, Tensor w, Tensor bias, Pointer packed, Tensor y, int m, int out, int in) {
    y.copy_(bias.expand(m, out));
    compute(x, packed, y, m, out, in);
    Tensor ref = torch.linear(x, w, new TensorOptional(bias));
    double diff = y.sub(ref).abs().max().item_double();
    double scale = ref.abs().max().item_double();
    if (diff > 1e-5 * scale) {
      throw new IllegalStateException(
          "MKL packed GEMM differs from torch.linear by "
              + diff
              + " (largest output "
              + scale
              + ")");
    }
  }
}
