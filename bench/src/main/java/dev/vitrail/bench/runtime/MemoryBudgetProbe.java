package dev.vitrail.bench.runtime;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.preprocess.ImageDecoder;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.http.EmbeddingsRequestParser;
import dev.vitrail.runtime.http.EmbeddingsResponses;
import dev.vitrail.runtime.http.EncodingFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * Measures the constants of the HTTP server's memory budget ({@code MemoryBudget}) as heap bytes
 * allocated by one thread (an upper bound of what the step holds live at once): per decoded pixel
 * (PNG RGB, PNG RGBA, JPEG), the resize and normalisation of the model's processor beyond the
 * decode, per body byte of a parsed {@code /v1/embeddings} JSON body, and per image of the model's
 * features rendered as JSON. Each figure is the smallest of 5 repetitions after a warm-up. Also the
 * thread CPU time of parsing the overload bench's 5.8 MB body. Arguments: model dir
 * (models/clip-tiny), image sides (1000,2000,4000).
 */
public final class MemoryBudgetProbe {
  private MemoryBudgetProbe() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/clip-tiny");
    String[] sides = (args.length > 1 ? args[1] : "1000,2000,4000").split(",");
    ImageProcessor processor = ImageProcessors.forModel(model);
    VisionConfig config = HfConfigs.read(model);
    ImageDecoder decoder = ImageDecoder.servingDefaults();
    System.out.println("heap bytes allocated by one thread, minimum of 5 after a warm-up");
    for (String s : sides) {
      int side = Integer.parseInt(s.trim());
      long pixels = (long) side * side;
      for (String format : List.of("png-rgb", "png-rgba", "jpeg")) {
        byte[] encoded = image(side, format);
        double decode = allocated(() -> decoder.decode(encoded)) / (double) pixels;
        double all = allocated(() -> processor.process(encoded)) / (double) pixels;
        System.out.printf(
            Locale.ROOT,
            "%5dx%-5d %-8s %8.1f MB encoded: decode %5.2f B/px, decode + processor %5.2f B/px"
                + " (processor beyond decode %6.1f MiB)%n",
            side,
            side,
            format,
            encoded.length / 1e6,
            decode,
            all,
            (all - decode) * pixels / (1 << 20));
        if (format.equals("jpeg")) {
          byte[] body =
              ("{\"input\": [\"data:image/jpeg;base64,"
                      + Base64.getEncoder().encodeToString(encoded)
                      + "\"]}")
                  .getBytes(StandardCharsets.UTF_8);
          EmbeddingsRequestParser parser =
              new EmbeddingsRequestParser(64L << 20, 64, config.numHiddenLayers());
          double perByte = allocated(() -> parser.parse(body)) / (double) body.length;
          System.out.printf(
              Locale.ROOT,
              "            body of %.1f MB parsed: %.2f B per body byte%n",
              body.length / 1e6,
              perByte);
        }
      }
    }
    byte[] overload = OverloadBody.of(5.8e6).json();
    EmbeddingsRequestParser parser =
        new EmbeddingsRequestParser(64L << 20, 64, config.numHiddenLayers());
    System.out.printf(
        Locale.ROOT,
        "the overload bench's %.1f MB body parsed: %.1f ms thread CPU, %.2f B per body byte%n",
        overload.length / 1e6,
        cpuMillis(() -> parser.parse(overload)),
        allocated(() -> parser.parse(overload)) / (double) overload.length);
    var input = processor.process(image(1024, "jpeg"));
    long tokens = input.values().length / (3L * config.patchSize() * config.patchSize()) + 1;
    float[] values = new float[(int) (tokens * config.hiddenSize())];
    FeatureOutput features =
        new FeatureOutput(values, new int[] {(int) tokens, config.hiddenSize()});
    double json =
        allocated(() -> EmbeddingsResponses.json("m", List.of(features), EncodingFormat.FLOAT));
    System.out.printf(
        Locale.ROOT,
        "one image's features (%d x %d floats, %.2f MB): JSON rendering %.2f x the features;"
            + " tower input %.2f MB%n",
        tokens,
        config.hiddenSize(),
        values.length * 4 / 1e6,
        json / (values.length * 4.0),
        input.values().length * 4 / 1e6);
  }

  /** Thread CPU time of {@code step}, best of 20 after 10 warm-ups, ms. */
  private static double cpuMillis(Supplier<?> step) {
    var threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 10; i++) {
      step.get();
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      long before = threads.getCurrentThreadCpuTime();
      step.get();
      best = Math.min(best, threads.getCurrentThreadCpuTime() - before);
    }
    return best / 1e6;
  }

  private static long allocated(Supplier<?> step) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    step.get();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long before = threads.getThreadAllocatedBytes(id);
      Object kept = step.get();
      best = Math.min(best, threads.getThreadAllocatedBytes(id) - before);
      if (kept == null) {
        throw new IllegalStateException("no result");
      }
    }
    return best;
  }

  private static byte[] image(int side, String format) throws Exception {
    boolean alpha = format.equals("png-rgba");
    BufferedImage img =
        new BufferedImage(
            side, side, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Random rnd = new Random(3);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        // smooth gradient plus a little noise: compresses like a photo, not like noise
        int v = (x * 255 / side + rnd.nextInt(8)) & 0xff;
        img.setRGB(x, y, (alpha ? 0x80000000 : 0xff000000) | v << 16 | (y & 0xff) << 8 | 128);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format.startsWith("png") ? "png" : "jpeg", out);
    return out.toByteArray();
  }
}
