package dev.vitrail.bench.encoders;

import com.sun.management.OperatingSystemMXBean;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.config.hf.Siglip2VisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Tower time on an existing checkpoint directory of the variable-size families (Pixtral, Kimi K2.5,
 * Qwen3-VL, SigLIP2), one random input of a given patch grid per forward; prints the median wall
 * and process CPU time per image, like {@code bench/hf_tower_cputime.py}.
 *
 * <p>Usage: {@code CheckpointBench DIR H W [T] [--iters 3] [--warmup 1] [--threads 1]}: {@code H x
 * W} patches (per frame), {@code T} frames for Qwen3-VL / Kimi entries (default 1).
 */
public final class CheckpointBench {
  private static final OperatingSystemMXBean CPU =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CheckpointBench() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int h = Integer.parseInt(args[1]);
    int w = Integer.parseInt(args[2]);
    int t = args.length > 3 && !args[3].startsWith("--") ? Integer.parseInt(args[3]) : 1;
    List<String> rest = Arrays.asList(args);
    int iters = option(rest, "--iters", 3);
    int warmup = option(rest, "--warmup", 1);
    int threads = option(rest, "--threads", 1);
    NativeTorch.configureThreads(threads, threads);
    VisionConfig config = HfConfigs.read(dir);
    PixelInput input = input(config, t, h, w);
    try (FeatureEncoder enc = FeatureEncoders.open(dir, EncoderOptions.cpu())) {
      List<PixelInput> batch = List.of(input);
      for (int i = 0; i < warmup; i++) {
        enc.encode(batch, FeatureSpec.defaults());
      }
      double[] wall = new double[iters];
      double[] cpu = new double[iters];
      for (int i = 0; i < iters; i++) {
        long c0 = CPU.getProcessCpuTime();
        long t0 = System.nanoTime();
        enc.encode(batch, FeatureSpec.defaults());
        wall[i] = (System.nanoTime() - t0) / 1e6;
        cpu[i] = (CPU.getProcessCpuTime() - c0) / 1e6;
      }
      System.out.printf(
          "java %s grid=%dx%dx%d ms_per_image=%.1f cpu_ms_per_image=%.1f threads=%d%n",
          config.family(), t, h, w, median(wall), median(cpu), threads);
    }
  }

  /** One random input of {@code t x h x w} patches in the family's input layout. */
  static PixelInput input(VisionConfig config, int t, int h, int w) {
    Random r = new Random(1);
    if (config instanceof PixtralVisionConfig p) {
      int ph = h * p.patchSize();
      int pw = w * p.patchSize();
      return new PixelInput(gaussian(r, 3 * ph * pw), new int[] {3, ph, pw}, null);
    }
    int width;
    if (config instanceof KimiK25VisionConfig k) {
      width = 3 * k.patchSize() * k.patchSize();
    } else if (config instanceof Qwen3VlVisionConfig q) {
      width = q.patchRowWidth();
    } else if (config instanceof Siglip2VisionConfig s) {
      width = s.patchRowWidth();
    } else {
      throw new IllegalArgumentException("CheckpointBench does not run " + config.family());
    }
    int rows = t * h * w;
    return new PixelInput(gaussian(r, rows * width), new int[] {rows, width}, new int[] {t, h, w});
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  private static int option(List<String> args, String name, int fallback) {
    int i = args.indexOf(name);
    return i >= 0 ? Integer.parseInt(args.get(i + 1)) : fallback;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }
}
