package dev.vitrail.bench.runtime;

import dev.vitrail.bench.encoders.RandomCheckpoint;
import dev.vitrail.config.hf.HfConfigs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** The bodies, client call, images and model directory of {@link HttpBench}. */
final class HttpBenchRequests {
  static final String JSON = "application/json";
  static final String BOUNDARY = "vitrail-bench-boundary";

  private HttpBenchRequests() {}

  /** One file part per image, as {@code curl -F file=@...} sends them. */
  static byte[] multipart(List<byte[]> images) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] image : images) {
      out.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"i.png\"\r\n"
                  + "Content-Type: image/png\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(image);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** POSTs {@code body} and returns the answer's bytes; anything but 200 is an exception. */
  static Object post(HttpClient client, URI uri, byte[] body, String accept, String contentType)
      throws Exception {
    HttpResponse<byte[]> res =
        client.send(
            HttpRequest.newBuilder(uri)
                .header("Accept", accept)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(
          "HTTP " + res.statusCode() + ": " + new String(res.body(), StandardCharsets.UTF_8));
    }
    return res.body();
  }

  /** A PNG of smooth gradients plus noise: compresses like a photo rather than like noise. */
  static byte[] png(int side, Random rnd) throws Exception {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int v = (x * 255 / side) << 16 | (y * 255 / side) << 8 | rnd.nextInt(64);
        img.setRGB(x, y, v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /**
   * A model directory, or a {@code config.json} file (e.g. {@code
   * ../shared/bench/configs/clip-vit-base-patch16.json}) given random weights in a temporary
   * directory.
   */
  static Path modelDir(String arg) throws Exception {
    Path path = Path.of(arg);
    if (!arg.endsWith(".json")) {
      return path;
    }
    String json = Files.readString(path);
    Path dir = Files.createTempDirectory("vitrail-http-bench-");
    RandomCheckpoint.write(dir, json, HfConfigs.parse(json), 1);
    return dir;
  }

  /** CPU time of the whole process (every thread: client, server, workers), ns. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
