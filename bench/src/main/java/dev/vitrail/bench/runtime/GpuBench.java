package dev.vitrail.bench.runtime;

import dev.vitrail.bench.encoders.RandomCheckpoint;
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
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.CudaInventory;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Tower throughput on one device, the Java side of {@code bench/gpu-check.sh} (HF's side is {@code
 * bench/gpu/hf_gpu_bench.py}, same batches, same random-weight architecture): heap pixels in, heap
 * features out (the upload, the forward and the one copy back are timed, as the HF side times
 * {@code .to(device)}, forward and {@code .cpu()}). With {@code --e2e} it also runs, at the last
 * batch size, the embedded runtime from encoded JPEG bytes (preprocessing, supervisor, worker,
 * features) against the bare tower loop ({@link EndToEndRun}).
 *
 * <p>Usage: {@code GpuBench --config CONFIG_JSON [--device cuda:0] [--dtype bf16] [--batch 1 32
 * 256] [--iters 10] [--warmup 2] [--grids T,H,W;T,H,W;...] [--e2e]}, or {@code --device D --probe}
 * for what the process sees of CUDA ({@link DeviceProbe}) ({@code --grids}: the Qwen2.5-VL batch,
 * one image per grid, mixed sizes). Prints {@code java <family> device=... dtype=... batch=...
 * images_per_s=...} lines.
 */
public final class GpuBench {
  private GpuBench() {}

  public static void main(String[] args) throws Exception {
    Path configPath = null;
    String device = "cuda:0";
    String dtype = "bf16";
    List<Integer> batches = new ArrayList<>();
    int iters = 10;
    int warmup = 2;
    String grids = "1,16,16;1,32,24;1,48,40;1,20,28";
    boolean e2e = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> configPath = Path.of(args[++i]);
        case "--device" -> device = args[++i];
        case "--dtype" -> dtype = args[++i];
        case "--batch" -> {
          while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            batches.add(Integer.parseInt(args[++i]));
          }
        }
        case "--iters" -> iters = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--grids" -> grids = args[++i];
        case "--e2e" -> e2e = true;
        case "--probe" -> {
          DeviceProbe.print(device);
          return;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (configPath == null) {
      throw new IllegalArgumentException("--config CONFIG_JSON is required");
    }
    if (batches.isEmpty()) {
      batches = List.of(1, 32, 256);
    }
    NativeTorch.configureThreads(1, 1);
    String json = Files.readString(configPath);
    VisionConfig config = HfConfigs.parse(json);
    Path dir = Files.createTempDirectory("vitrail-gpu-bench-");
    try {
      RandomCheckpoint.write(dir, json, config, 42);
      EncoderOptions options = new EncoderOptions(device, dtype, null);
      String resolved = ComputeTarget.of(options).dtype().toString();
      System.out.printf(
          "java device %s cuda=%s dtype=%s->%s%n",
          device, CudaInventory.probe().devices(), dtype, resolved);
      try (FeatureEncoder tower = FeatureEncoders.open(dir, options)) {
        if (config instanceof Qwen25VisionConfig q) {
          List<PixelInput> batch = qwenBatch(q, grids);
          long patches = batch.stream().mapToLong(PixelInput::patchRows).sum();
          double ms = time(tower, batch, iters, warmup);
          print(
              config,
              device,
              resolved,
              batch.size(),
              ms,
              " patches=" + patches + " grids=" + grids);
          return;
        }
        for (int b : batches) {
          List<PixelInput> batch = images(config, b);
          double ms = time(tower, batch, iters, warmup);
          print(config, device, resolved, b, ms, "");
          if (e2e && b == batches.get(batches.size() - 1)) { // the largest batch only
            EndToEndRun.compare(dir, config, device, dtype, b, ms, iters);
          }
        }
      }
    } finally {
      delete(dir);
    }
  }

  private static void print(
      VisionConfig config, String device, String dtype, int batch, double ms, String extra) {
    System.out.println(
        String.format(
            Locale.ROOT,
            "java %s device=%s dtype=%s batch=%d images_per_s=%.1f ms_per_batch=%.2f%s",
            config.family(),
            device,
            dtype,
            batch,
            batch / (ms / 1e3),
            ms,
            extra));
  }

  private static void delete(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Median milliseconds of one {@code encode} of {@code batch} (heap in, heap out). */
  static double time(FeatureEncoder tower, List<PixelInput> batch, int iters, int warmup) {
    for (int i = 0; i < warmup; i++) {
      tower.encode(batch, FeatureSpec.defaults());
    }
    double[] ms = new double[iters];
    for (int i = 0; i < iters; i++) {
      long t0 = System.nanoTime();
      tower.encode(batch, FeatureSpec.defaults());
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[iters / 2];
  }

  /** {@code count} random {@code [3, S, S]} images of a CLIP or SigLIP config. */
  static List<PixelInput> images(VisionConfig config, int count) {
    int s =
        config instanceof ClipVisionConfig c
            ? c.imageSize()
            : ((SiglipVisionConfig) config).imageSize();
    Random r = new Random(1);
    List<PixelInput> out = new ArrayList<>();
    float[] v = new float[3 * s * s];
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) r.nextGaussian();
    }
    for (int i = 0; i < count; i++) {
      out.add(new PixelInput(v, new int[] {3, s, s}, null));
    }
    return out;
  }

  /** One patch-row input per {@code t,h,w} grid of {@code spec} ({@code ;}-separated). */
  static List<PixelInput> qwenBatch(Qwen25VisionConfig c, String spec) {
    Random r = new Random(1);
    int width = c.patchRowWidth();
    List<PixelInput> out = new ArrayList<>();
    for (String g : spec.split(";")) {
      int[] thw = Arrays.stream(g.trim().split(",")).mapToInt(Integer::parseInt).toArray();
      int rows = thw[0] * thw[1] * thw[2];
      float[] v = new float[rows * width];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextGaussian();
      }
      out.add(new PixelInput(v, new int[] {rows, width}, thw));
    }
    return out;
  }
}
