package dev.vitrail.bench.runtime;

import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.api.EncodeInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.api.Vitrail;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The embedded runtime end to end on one device: JPEG bytes → preprocessing threads → supervisor →
 * one worker (its own stream, pinned upload) → features, requests of one batch each, a few in
 * flight; compared with the bare tower loop's rate on preprocessed pixels (the "≥ 0.9×").
 */
final class EndToEndRun {
  private static final int DISTINCT_IMAGES = 16;

  private EndToEndRun() {}

  static void compare(
      Path dir,
      VisionConfig config,
      String device,
      String dtype,
      int batch,
      double bareMs,
      int iters)
      throws Exception {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors() - 2);
    RuntimeSettings settings =
        BenchSettings.of(
            "vitrail { workers { count = 1, devices = [\""
                + device
                + "\"], batch-limit = "
                + batch
                + ", compute-dtype = "
                + dtype
                + " }, stream { max-in-flight-requests = 4, preprocess-threads = "
                + threads
                + " }, admission.max-in-flight-items = "
                + Math.max(4096, batch * 8)
                + " }");
    ImageProcessor processor = ImageProcessors.forModel(dir);
    List<byte[]> jpegs = jpegs();
    int requests = Math.max(8, iters * 2);
    try (Vitrail v =
        Vitrail.start(
            settings,
            LibtorchTowers.of(dir, settings.devices(), dtype, 1, 1),
            processor::process)) {
      run(v, jpegs, batch, 2); // warm-up: tower opened, kernels chosen
      long t0 = System.nanoTime();
      run(v, jpegs, batch, requests);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double flow = requests * (double) batch / seconds;
      double bare = batch / (bareMs / 1e3);
      System.out.println(
          String.format(
              Locale.ROOT,
              "e2e %s device=%s dtype=%s batch=%d flow_images_per_s=%.1f bare_images_per_s=%.1f"
                  + " ratio=%.3f preprocess_threads=%d",
              config.family(),
              device,
              dtype,
              batch,
              flow,
              bare,
              flow / bare,
              threads));
    }
  }

  private static void run(Vitrail v, List<byte[]> jpegs, int batch, int requests) throws Exception {
    long features =
        Source.range(1, requests)
            .map(
                r -> {
                  List<EncodeInput> in = new ArrayList<>();
                  for (int i = 0; i < batch; i++) {
                    in.add(EncodeInput.of(jpegs.get((r * batch + i) % jpegs.size())));
                  }
                  return new EncodeRequest("r" + r, in, FeatureSpec.defaults(), 0);
                })
            .via(v.flow())
            .runWith(Sink.fold(0L, (n, res) -> n + res.features().size()), v.system())
            .toCompletableFuture()
            .get(10, TimeUnit.MINUTES);
    if (features != (long) requests * batch) {
      throw new IllegalStateException(features + " features for " + requests * batch + " images");
    }
  }

  /** Distinct 320x240 noise JPEGs. */
  private static List<byte[]> jpegs() throws Exception {
    Random r = new Random(3);
    List<byte[]> out = new ArrayList<>();
    for (int k = 0; k < DISTINCT_IMAGES; k++) {
      BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 240; y++) {
        for (int x = 0; x < 320; x++) {
          img.setRGB(x, y, r.nextInt(1 << 24));
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(img, "jpg", bytes);
      out.add(bytes.toByteArray());
    }
    return out;
  }
}
