package dev.vitrail.encoders.bench;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.qwen25vl.GridThw;
import dev.vitrail.encoders.qwen25vl.Qwen25VisionTower;
import dev.vitrail.encoders.qwen25vl.WindowLayout;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Qwen2.5-VL vision tower throughput on CPU, the Java side of {@code hf_tower_bench.py --grid}.
 *
 * <p>Usage: {@code QwenTowerBench CONFIG_JSON [t h w] [batch] [iters] [torchThreads] [blasThreads]}
 * (defaults 1 32 32 (448x448), batch 1, 3 iterations, libtorch 1 thread, OpenBLAS 2). Writes a
 * random-weight checkpoint to a temporary folder, loads it through the real loader, and prints the
 * median time, images/s, the share of this JVM's measured float32 GEMM rate, and resident memory
 * added by loading ÷ weight bytes.
 */
public final class QwenTowerBench {
  private QwenTowerBench() {}

  public static void main(String[] args) throws IOException {
    Path config = Path.of(args[0]);
    int[] grid = args.length >= 4 ? parse(args, 1, 3) : new int[] {1, 32, 32};
    int batch = args.length >= 5 ? Integer.parseInt(args[4]) : 1;
    int iters = args.length >= 6 ? Integer.parseInt(args[5]) : 3;
    int torchThreads = args.length >= 7 ? Integer.parseInt(args[6]) : 1;
    int blasThreads = args.length >= 8 ? Integer.parseInt(args[7]) : 2;
    NativeTorch.configureThreads(torchThreads, blasThreads);

    Path dir = Files.createTempDirectory("qwen-bench");
    try {
      Files.copy(config, dir.resolve("config.json"));
      Qwen25VisionConfig c = (Qwen25VisionConfig) HfConfigs.read(dir);
      long weightBytes = QwenRandomCheckpoint.write(c, dir.resolve("model.safetensors"));
      List<GridThw> grids = Collections.nCopies(batch, new GridThw(grid[0], grid[1], grid[2]));
      int rows = batch * grid[0] * grid[1] * grid[2];
      float[] pixels = new float[rows * c.patchRowWidth()];
      Random rnd = new Random(0);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) rnd.nextGaussian();
      }
      long rssBefore = rssBytes();
      try (Qwen25VisionTower tower = Qwen25VisionTower.load(dir, ComputeTarget.cpuFloat())) {
        long rssLoaded = rssBytes();
        tower.forward(pixels, grids, false); // warm-up; touches every mapped weight page
        long rssWarm = rssBytes();
        double flops = flops(c, tower.layout(grids));
        // GEMM rate measured right before each forward, so contention hits both alike
        List<Double> times = new ArrayList<>();
        List<Double> gemms = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        for (int i = 0; i < iters; i++) {
          double gemm = GemmRate.measure(2048) * 1e9;
          long t0 = System.nanoTime();
          tower.forward(pixels, grids, false);
          double t = (System.nanoTime() - t0) / 1e9;
          times.add(t);
          gemms.add(gemm / 1e9);
          shares.add(flops / t / gemm);
        }
        double median = median(times);
        double mean = times.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        System.out.printf(
            "java qwen2_5_vl grid=%s batch=%d images_per_s=%.4f ms_per_batch=%.1f"
                + " (mean %.1f) runs_s=%s%n",
            Arrays.toString(grid), batch, batch / median, median * 1e3, mean * 1e3, times);
        System.out.printf(
            "gemm_gflops=%.1f %s tower_gflop_per_batch=%.1f share_of_gemm=%.2f %s"
                + " threads torch=%d blas=%d%n",
            median(gemms), gemms, flops / 1e9, median(shares), shares, torchThreads, blasThreads);
        System.out.printf(
            "weights_bytes=%d rss_added_after_load=%.3f rss_added_after_first_forward=%.3f%n",
            weightBytes,
            (rssLoaded - rssBefore) / (double) weightBytes,
            (rssWarm - rssBefore) / (double) weightBytes);
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  /** Multiply-add FLOPs of one forward: linear layers, attention inside segments, merger. */
  static double flops(Qwen25VisionConfig c, WindowLayout layout) {
    double s = layout.patches();
    double h = c.hiddenSize();
    double unit = c.spatialMergeSize() * c.spatialMergeSize();
    double total = 2 * s * c.patchRowWidth() * h;
    List<Integer> full = Arrays.stream(c.fullattBlockIndexes()).boxed().toList();
    for (int b = 0; b < c.depth(); b++) {
      total += 2 * s * (4 * h * h + 3 * h * c.intermediateSize());
      int[] cu = full.contains(b) ? layout.cuSeqlens() : layout.cuWindowSeqlens();
      for (int i = 0; i + 1 < cu.length; i++) {
        double len = cu[i + 1] - cu[i];
        total += 4 * len * len * h;
      }
    }
    total += 2 * (s / unit) * (unit * h) * (unit * h + c.outHiddenSize());
    return total;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static int[] parse(String[] args, int from, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = Integer.parseInt(args[from + i]);
    }
    return out;
  }
}
