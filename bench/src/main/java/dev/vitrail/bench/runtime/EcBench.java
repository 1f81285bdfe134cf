package dev.vitrail.bench.runtime;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.bench.encoders.RandomCheckpoint;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.vlm.EcDtype;
import dev.vitrail.runtime.vlm.VlmEncoder;
import dev.vitrail.runtime.vlm.VlmOutput;
import dev.vitrail.runtime.vlm.VlmResult;
import dev.vitrail.runtime.vlm.VlmSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Encoder-tier throughput: images/s written to encoder-cache storage (PNG bytes in; decode,
 * smart_resize, key, tower through the runtime's worker, bf16 cast, atomic write) beside the tower
 * alone on the same preprocessed pixels, alternating runs in one process, one libtorch and one
 * OpenBLAS thread. Arguments: a {@code config.json} (random weights) or model directory, the image
 * side (448), runs (3), and the EC directory (a temporary one). Prints wall and process CPU time
 * per image of both, the medians, and the write alone ({@code EcStore.write} of the same tensor).
 */
public final class EcBench {
  private EcBench() {}

  /** Runs the comparison and prints a Markdown table. */
  public static void main(String[] args) throws Exception {
    Path model =
        modelDir(args.length > 0 ? args[0] : "../shared/bench/configs/qwen2_5_vl-7b-vision.json");
    int side = args.length > 1 ? Integer.parseInt(args[1]) : 448;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path ec = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("vitrail-ec-bench-");
    LibtorchTowers.configureThreads(1, 1);
    RuntimeSettings settings =
        RuntimeSettings.from(
            ConfigFactory.parseString(
                    "vitrail.workers { count = 1, torch-threads = 1, blas-threads = 1 }")
                .withFallback(ConfigFactory.load()));
    VlmSettings vlm = new VlmSettings(ec, EcDtype.BF16, 0, Duration.ZERO, 0, 0, 0);
    Random rnd = new Random(7);
    try (ServedModel served = ServedModel.open(model, "bench", settings);
        FeatureEncoder tower = FeatureEncoders.open(model, EncoderOptions.cpu())) {
      VlmEncoder tier = VlmEncoder.open(served, vlm);
      double[][] towerRuns = new double[runs][];
      double[][] ecRuns = new double[runs][];
      System.out.println(
          "| run | tower alone s/image (wall / CPU) | EC write path s/image (wall / CPU) |");
      System.out.println("|---|---|---|");
      for (int r = -1; r < runs; r++) {
        byte[] png = png(side, rnd.nextLong());
        PixelInput pixels = served.processor().process(png);
        double[] a = measure(() -> tower.encode(List.of(pixels), FeatureSpec.defaults()));
        double[] b =
            measure(
                () -> {
                  VlmEncoder.Prepared p = tier.prepare(png, EcDtype.BF16, VlmOutput.EC);
                  VlmResult res =
                      tier.encode(List.of(p), VlmOutput.EC, Runnable::run)
                          .toCompletableFuture()
                          .get(30, TimeUnit.MINUTES)
                          .get(0);
                  if (res.cached() || !Files.isRegularFile(res.file())) {
                    throw new IllegalStateException("no file written for a new image");
                  }
                  return res;
                });
        if (r < 0) {
          System.out.printf(
              Locale.ROOT, "| warm-up | %.2f / %.2f | %.2f / %.2f |%n", a[0], a[1], b[0], b[1]);
          continue;
        }
        towerRuns[r] = a;
        ecRuns[r] = b;
        System.out.printf(
            Locale.ROOT, "| %d | %.2f / %.2f | %.2f / %.2f |%n", r + 1, a[0], a[1], b[0], b[1]);
      }
      double tw = median(towerRuns, 0);
      double tc = median(towerRuns, 1);
      double ew = median(ecRuns, 0);
      double ecpu = median(ecRuns, 1);
      System.out.printf(
          Locale.ROOT,
          "| median | %.2f / %.2f (%.4f images/s) | %.2f / %.2f (%.4f images/s) |%n",
          tw,
          tc,
          1 / tw,
          ew,
          ecpu,
          1 / ew);
      System.out.printf(
          Locale.ROOT, "EC path / tower alone: wall %.3f, CPU %.3f%n", ew / tw, ecpu / tc);
      writeAlone(tier, served, png(side, 1));
    }
  }

  /** {@code EcStore.write} of one image's embeddings, 20 times: ms per file and MB/s. */
  private static void writeAlone(VlmEncoder tier, ServedModel served, byte[] png) throws Exception {
    VlmEncoder.Prepared p = tier.prepare(png, EcDtype.BF16, VlmOutput.INLINE);
    var f =
        served
            .vitrail()
            .encode(
                dev.vitrail.runtime.api.EncodeRequest.ofPixels(
                    "w", List.of(p.pixels()), FeatureSpec.defaults()))
            .toCompletableFuture()
            .get(30, TimeUnit.MINUTES)
            .features()
            .get(0);
    int n = 20;
    long start = System.nanoTime();
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      Path file =
          tier.store()
              .write("write-bench-" + i, f.shape()[0], f.shape()[1], EcDtype.BF16, f.values());
      bytes += Files.size(file);
    }
    double s = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "write alone: %d files of %s bf16 (%d bytes each), %.2f ms/file, %.0f MB/s (with fsync)%n",
        n,
        Arrays.toString(f.shape()),
        bytes / n,
        1000 * s / n,
        bytes / s / 1e6);
  }

  @FunctionalInterface
  private interface Body {
    Object run() throws Exception;
  }

  private static double[] measure(Body body) throws Exception {
    long cpu = cpuNanos();
    long start = System.nanoTime();
    body.run();
    return new double[] {(System.nanoTime() - start) / 1e9, (cpuNanos() - cpu) / 1e9};
  }

  private static double median(double[][] runs, int column) {
    double[] v = Arrays.stream(runs).mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static byte[] png(int side, long seed) throws Exception {
    Random rnd = new Random(seed);
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static Path modelDir(String arg) throws Exception {
    Path path = Path.of(arg);
    if (!arg.endsWith(".json")) {
      return path;
    }
    String json = Files.readString(path);
    Path dir = Files.createTempDirectory("vitrail-ec-bench-model-");
    RandomCheckpoint.write(dir, json, HfConfigs.parse(json), 1);
    return dir;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
