package dev.vitrail.bench.encoders;

import com.sun.management.OperatingSystemMXBean;
import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.split.TowerSplit;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.weights.Checkpoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Tower throughput on random weights written to a temporary checkpoint and loaded through the real
 * loader; prints images/s, CPU time per image, the GEMM share (the tower's FLOP rate ÷ this JVM's
 * float32 GEMM rate, {@code gemm_share}, and ÷ the rate of a GEMM through a linear layer of the
 * tower's own mode and kernel, {@code mode_gemm_share}; each timed right after every pass), and
 * load RSS per weight byte.
 *
 * <p>Usage: {@code TowerBench --config CONFIG_JSON [--batch 1 8] [--iters 5] [--warmup 1]
 * [--torch-threads 1] [--blas-threads 2] [--gemm 2048] [--grid T H W] [--workers 1] [--dtype
 * f32|bf16|int8] [--blas auto|openblas|mkl]} ({@code --grid}: patches per image for Qwen2.5-VL, as
 * {@code hf_tower_bench.py --grid}; default 1 16 16; {@code --workers N} splits each batch over N
 * towers on N threads, see {@link SplitEncoder}; {@code --dtype}: the compute mode, whose features
 * are also compared with a float32 tower's on two images, see {@link ModeAccuracy}). Run it with
 * {@code -Xms = -Xmx} and {@code -XX:+AlwaysPreTouch} so that the Java heap is resident from the
 * start and the RSS differences are native memory only.
 */
public final class TowerBench {
  private static final OperatingSystemMXBean CPU =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private TowerBench() {}

  public static void main(String[] args) throws IOException {
    BenchArgs a = BenchArgs.parse(args);
    NativeTorch.selectBlas(a.blas());
    NativeTorch.configureThreads(a.torchThreads(), a.blasThreads());
    EncoderOptions options = new EncoderOptions("cpu", a.dtype(), null);
    String json = Files.readString(a.config());
    VisionConfig config = HfConfigs.parse(json);
    Path dir = Files.createTempDirectory("vitrail-bench-");
    Thread cleanup = new Thread(() -> delete(dir));
    Runtime.getRuntime().addShutdownHook(cleanup); // also on SIGTERM
    try {
      RandomCheckpoint.write(dir, json, config, 42);
      long weightBytes = Files.size(dir.resolve(Checkpoint.SINGLE));
      List<PixelInput> one = images(config, 1, a.grid());
      GemmRate gemmRate = new GemmRate(a.gemmSize(), ComputeTarget.of(options));
      System.gc();
      ResidentMemory rss0 = ResidentMemory.now();
      try (gemmRate;
          FeatureEncoder encoder =
              a.workers() > 1
                  ? new SplitEncoder(dir, a.workers(), options)
                  : FeatureEncoders.open(dir, options)) {
        ResidentMemory rssLoaded = ResidentMemory.now();
        encoder.encode(one, FeatureSpec.defaults());
        ResidentMemory rssForward = ResidentMemory.now();
        System.out.printf(
            "java %s load weight_bytes=%d rss_after_open/weights=%s"
                + " rss_after_first_forward/weights=%s threads=torch%d/blas%d workers=%d"
                + " dtype=%s blas=%s%n",
            config.family(),
            weightBytes,
            rssLoaded.ratioSince(rss0, weightBytes),
            rssForward.ratioSince(rss0, weightBytes),
            a.torchThreads(),
            a.blasThreads(),
            a.workers(),
            a.dtype(),
            NativeTorch.blas().settingName());
        if (!a.dtype().equals("f32") && !(config instanceof Qwen25VisionConfig)) {
          System.out.println(ModeAccuracy.against(dir, encoder, images(config, 2, a.grid())));
        }
        double flops =
            config instanceof Qwen25VisionConfig q
                ? QwenFlops.perImage(q, a.grid())
                : VitFlops.perImage(config);
        for (int b : a.batches()) {
          List<PixelInput> batch = images(config, b, a.grid());
          for (int i = 0; i < a.warmup(); i++) {
            encoder.encode(batch, FeatureSpec.defaults());
          }
          // each forward is followed by one GEMM, so that the share compares like with like on a
          // machine whose load drifts
          double[] ms = new double[a.iters()];
          double[] cpuMs = new double[a.iters()];
          double[] gemms = new double[a.iters()];
          double[] shares = new double[a.iters()];
          double[] modeGemms = new double[a.iters()];
          double[] modeShares = new double[a.iters()];
          for (int i = 0; i < a.iters(); i++) {
            long c0 = CPU.getProcessCpuTime();
            long t0 = System.nanoTime();
            encoder.encode(batch, FeatureSpec.defaults());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpuMs[i] = (CPU.getProcessCpuTime() - c0) / 1e6;
            gemms[i] = gemmRate.once();
            shares[i] = flops * b / (ms[i] / 1e3) / 1e9 / gemms[i];
            modeGemms[i] = gemmRate.onceInMode();
            modeShares[i] = flops * b / (ms[i] / 1e3) / 1e9 / modeGemms[i];
          }
          double median = median(ms);
          double gflops = flops * b / (median / 1e3) / 1e9;
          System.out.printf(
              "java %s batch=%d images_per_s=%.3f ms_per_batch=%.1f"
                  + " cpu_ms_per_image=%.1f gflop_per_image=%.2f gflops=%.1f gemm_gflops=%.1f"
                  + " gemm_share=%.2f mode_gemm_gflops=%.1f mode_gemm_share=%.2f kernel=%s"
                  + " split=%s threads=torch%d/blas%d workers=%d dtype=%s%n",
              config.family(),
              b,
              b / (median / 1e3),
              median,
              median(cpuMs) / b,
              flops / 1e9,
              gflops,
              median(gemms),
              median(shares),
              median(modeGemms),
              median(modeShares),
              ComputeTarget.of(options).linearKernel(),
              split(ComputeTarget.of(options)),
              a.torchThreads(),
              a.blasThreads(),
              a.workers(),
              a.dtype());
        }
      }
    } finally {
      Runtime.getRuntime().removeShutdownHook(cleanup);
      delete(dir);
    }
  }

  /**
   * How a CLIP/SigLIP tower of {@code target} runs its layers: {@code off}, or the ways and the
   * shards' kernel ({@code 2/DENSE}).
   */
  private static String split(ComputeTarget target) {
    int ways = TowerSplit.ways(target);
    return ways > 1 ? ways + "/" + TowerSplit.kernel(target) : "off";
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static List<PixelInput> images(VisionConfig config, int count, int[] grid) {
    if (config instanceof Qwen25VisionConfig q) {
      return QwenFlops.patchRows(q, count, grid);
    }
    int c;
    int s;
    if (config instanceof ClipVisionConfig clip) {
      c = clip.numChannels();
      s = clip.imageSize();
    } else if (config instanceof SiglipVisionConfig siglip) {
      c = siglip.numChannels();
      s = siglip.imageSize();
    } else {
      throw new IllegalArgumentException(
          "TowerBench runs CLIP, SigLIP and Qwen2.5-VL configs, not " + config.family());
    }
    Random r = new Random(1);
    List<PixelInput> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] v = new float[c * s * s];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextGaussian();
      }
      out.add(new PixelInput(v, new int[] {c, s, s}, null));
    }
    return out;
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("cannot delete " + dir + ": " + e);
    }
  }
}
