package dev.vitrail.bench.encoders;

import dev.vitrail.encoders.preprocess.ClipProcessor;
import dev.vitrail.encoders.preprocess.ClipSettings;
import dev.vitrail.encoders.preprocess.ImageDecoder;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.Qwen2VlProcessor;
import dev.vitrail.encoders.preprocess.Qwen2VlSettings;
import dev.vitrail.encoders.preprocess.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decode + preprocess throughput for a 640x480 JPEG (quality 90) into CLIP 224 and Qwen2-VL inputs,
 * on 1 and 2 threads. Arguments: {@code [seconds per run] [runs]} (default 3 and 5).
 */
public final class PreprocessBench {
  private PreprocessBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    byte[] jpeg = jpeg(640, 480, 90);
    ImageDecoder decoder = ImageDecoder.servingDefaults();
    ImageProcessor clip = new ClipProcessor(ClipSettings.defaults(224), decoder);
    ImageProcessor qwen = new Qwen2VlProcessor(Qwen2VlSettings.defaults(14, 2, 2), decoder);
    RgbImage decoded = decoder.decodeRgb(jpeg);
    System.out.printf(
        "640x480 JPEG (%d bytes); %d available processors; %.1f s x %d runs, median%n",
        jpeg.length, Runtime.getRuntime().availableProcessors(), seconds, runs);
    System.out.println(
        "| pipeline | best single run (ms) | 1000 / best (img/s) | 1 thread (img/s) | 2 threads (img/s) |");
    System.out.println("|---|---|---|---|---|");
    row("JPEG decode only", () -> decoder.decodeRgb(jpeg), seconds, runs);
    row("CLIP 224 preprocess only (decoded)", () -> clip.process(decoded), seconds, runs);
    row("Qwen2-VL preprocess only (decoded, 476x644)", () -> qwen.process(decoded), seconds, runs);
    row("JPEG decode + CLIP 224", () -> clip.process(jpeg), seconds, runs);
    row("JPEG decode + Qwen2-VL", () -> qwen.process(jpeg), seconds, runs);
  }

  private static void row(String name, Runnable task, double seconds, int runs) throws Exception {
    double one = Throughput.median(task, 1, seconds, runs);
    double two = Throughput.median(task, 2, seconds, runs);
    double best = Throughput.bestMillis(task, 200);
    System.out.printf("| %s | %.2f | %.0f | %.1f | %.1f |%n", name, best, 1000 / best, one, two);
  }

  /** A procedural photo-like JPEG: gradients, a disc and seeded noise. */
  static byte[] jpeg(int w, int h, int quality) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Random rnd = new Random(42);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean disc = (x - w / 2) * (x - w / 2) + (y - h / 2) * (y - h / 2) < h * h / 9;
        int r = clamp(x * 255 / w + rnd.nextInt(31) - 15);
        int g = clamp((disc ? 220 : y * 255 / h) + rnd.nextInt(31) - 15);
        int b = clamp(((x / 16 + y / 16) % 2) * 120 + 60 + rnd.nextInt(31) - 15);
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
