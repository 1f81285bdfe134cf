package dev.vitrail.encoders.bench;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.weights.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;

/**
 * Tower throughput on random weights written to a temporary checkpoint and loaded through the real
 * loader; prints images/s, the share of this JVM's measured float32 GEMM rate, and load RSS per
 * weight byte.
 *
 * <p>Usage: {@code TowerBench --config CONFIG_JSON [--batch 1 8] [--iters 5] [--warmup 1]
 * [--torch-threads 1] [--blas-threads 2] [--gemm 2048]}. Run it with {@code -Xms = -Xmx} and
 * {@code -XX:+AlwaysPreTouch} so that the Java heap is resident from the start and the RSS
 * differences are native memory only.
 */
public final class TowerBench {
  private TowerBench() {}

  public static void main(String[] args) throws IOException {
    BenchArgs a = BenchArgs.parse(args);
    NativeTorch.configureThreads(a.torchThreads(), a.blasThreads());
    String json = Files.readString(a.config());
    VisionConfig config = HfConfigs.parse(json);
    double gemm = GemmRate.measure(a.gemmSize());
    Path dir = Files.createTempDirectory("vitrail-bench-");
    try {
      RandomCheckpoint.write(dir, json, config, 42);
      long weightBytes = Files.size(dir.resolve(Checkpoint.SINGLE));
      System.gc();
      long rss0 = Pointer.physicalBytes();
      try (FeatureEncoder encoder = FeatureEncoders.open(dir, EncoderOptions.cpu())) {
        long rssLoaded = Pointer.physicalBytes();
        List<PixelInput> one = images(config, 1);
        encoder.encode(one, FeatureSpec.defaults());
        long rssForward = Pointer.physicalBytes();
        System.out.printf("java %s load weight_bytes=%d rss_after_open/weights=%.3f"
                + " rss_after_first_forward/weights=%.3f gemm_gflops=%.1f threads=torch%d/blas%d%n",
            config.family(), weightBytes, (rssLoaded - rss0) / (double) weightBytes,
            (rssForward - rss0) / (double) weightBytes, gemm, a.torchThreads(), a.blasThreads());
        double flops = VitFlops.perImage(config);
        for (int b : a.batches()) {
          List<PixelInput> batch = images(config, b);
          for (int i = 0; i < a.warmup(); i++) {
            encoder.encode(batch, FeatureSpec.defaults());
          }
          double[] ms = new double[a.iters()];
          for (int i = 0; i < a.iters(); i++) {
            long t0 = System.nanoTime();
            encoder.encode(batch, FeatureSpec.defaults());
            ms[i] = (System.nanoTime() - t0) / 1e6;
          }
          Arrays.sort(ms);
          double median = ms[ms.length / 2];
          double gflops = flops * b / (median / 1e3) / 1e9;
          System.out.printf("java %s batch=%d images_per_s=%.3f ms_per_batch=%.1f"
                  + " gflop_per_image=%.2f gflops=%.1f gemm_share=%.2f threads=torch%d/blas%d%n",
              config.family(), b, b / (median / 1e3), median, flops / 1e9, gflops, gflops / gemm,
              a.torchThreads(), a.blasThreads());
        }
      }
    } finally {
      delete(dir);
    }
  }

  private static List<PixelInput> images(VisionConfig config, int count) {
    int c;
    int s;
    if (config instanceof ClipVisionConfig clip) {
      c = clip.numChannels();
      s = clip.imageSize();
    } else if (config instanceof SiglipVisionConfig siglip) {
      c = siglip.numChannels();
      s = siglip.imageSize();
    } else {
      throw new IllegalArgumentException("TowerBench runs CLIP and SigLIP configs, not " + config.family());
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

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
