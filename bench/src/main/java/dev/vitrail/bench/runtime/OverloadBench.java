package dev.vitrail.bench.runtime;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The HTTP server under overload: {@code vitrail serve} in its own JVM (default heap), bodies of
 * one 1200x1200 noise JPEG (about 5.8 MB of JSON), capacity measured closed-loop, then open-loop
 * load at 1x and at Nx that capacity. Reports answers by status, p50/p99 latency of admitted
 * requests, admitted throughput, the server's peak RSS (and RSS at 10 s and after, to see it flat)
 * and its exit status after SIGTERM. Arguments: model dir (models/clip-tiny), seconds per phase
 * (60), overload factor (4), calibration seconds (15), client limit on unanswered requests (256).
 */
public final class OverloadBench {
  private OverloadBench() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/clip-tiny");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 60;
    double factor = args.length > 2 ? Double.parseDouble(args[2]) : 4;
    double calibration = args.length > 3 ? Double.parseDouble(args[3]) : 15;
    int maxOutstanding = args.length > 4 ? Integer.parseInt(args[4]) : 256;
    // The body: one 1200x1200 JPEG, 5.8 MB as base64 JSON (JPEG bytes are 3/4 of that).
    byte[] jpeg = padded(noiseJpeg(1200, 1200), (int) (5.8e6 * 3 / 4) - 40);
    byte[] body =
        ("{\"input\": [\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(jpeg)
                + "\"]}")
            .getBytes(StandardCharsets.UTF_8);
    System.out.printf(
        Locale.ROOT,
        "body %.2f MB (one 1200x1200 noise JPEG, %.2f MB with APP15 padding)%n",
        body.length / 1e6,
        jpeg.length / 1e6);
    Path log = Files.createTempFile("vitrail-overload-server", ".log");
    List<String> serverOptions =
        List.of(System.getenv().getOrDefault("VITRAIL_SERVER_OPTS", "").split("\\s+")).stream()
            .filter(o -> !o.isBlank())
            .toList();
    System.out.println("server JVM options: " + serverOptions + " (-Xmx1g unless given)");
    try (ServerProcess server = new ServerProcess(model, serverOptions, log)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings");
      double capacity = calibrate(uri, body, calibration);
      System.out.printf(
          Locale.ROOT,
          "capacity %.2f req/s (closed loop, 4 clients, %.0f s)%n",
          capacity,
          calibration);
      OpenLoopLoad load = new OpenLoopLoad(uri, body, maxOutstanding);
      OpenLoopLoad.Result[] results = new OpenLoopLoad.Result[2];
      double[] rates = {capacity, capacity * factor};
      String[] names = {"1x", factor + "x"};
      for (int p = 0; p < 2; p++) {
        server.resetPeak();
        RssTimeline timeline = new RssTimeline(server);
        results[p] = load.run(rates[p], seconds);
        timeline.stop();
        System.out.println(results[p].line(names[p]));
        System.out.printf(
            Locale.ROOT,
            "     offered %.2f req/s; server RSS peak %d MiB, at 10 s %d MiB, max after 10 s %d MiB%n",
            rates[p],
            server.peakRssKiB() >> 10,
            timeline.at(10) >> 10,
            timeline.maxFrom(10) >> 10);
      }
      System.out.printf(
          Locale.ROOT,
          "admitted throughput %sx / 1x = %.3f%n",
          factor,
          (results[1].ok() / results[1].seconds()) / (results[0].ok() / results[0].seconds()));
      System.out.println(
          "server exit status after SIGTERM: " + server.stop() + " (log " + log + ")");
    }
  }

  /** Requests per second answered 200 by 4 closed-loop clients (after a short warm-up). */
  private static double calibrate(URI uri, byte[] body, double seconds) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      runClosed(pool, client, uri, body, Math.min(5, seconds / 3));
      return runClosed(pool, client, uri, body, seconds);
    } finally {
      pool.shutdown();
    }
  }

  private static double runClosed(
      ExecutorService pool, HttpClient client, URI uri, byte[] body, double seconds)
      throws Exception {
    LongAdder ok = new LongAdder();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  HttpResponse<Void> res =
                      client.send(
                          HttpRequest.newBuilder(uri)
                              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                              .build(),
                          HttpResponse.BodyHandlers.discarding());
                  if (res.statusCode() == 200) {
                    ok.increment();
                  } else {
                    Thread.sleep(50);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : clients) {
      f.get();
    }
    return ok.sum() / seconds;
  }

  /**
   * {@code jpeg} grown to {@code size} bytes with APP15 segments after its SOI marker (which every
   * decoder skips), standing in for the EXIF and colour profiles of a camera JPEG.
   */
  static byte[] padded(byte[] jpeg, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(size, jpeg.length));
    out.write(jpeg, 0, 2);
    int left = size - jpeg.length;
    while (left > 4) {
      int data = Math.min(65533, left - 4);
      out.write(0xff);
      out.write(0xef);
      out.write((data + 2) >> 8);
      out.write(data + 2);
      out.write(new byte[data], 0, data);
      left -= data + 4;
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /** Random noise at JPEG quality 0.95 (about 1.7 MB at 1200x1200). */
  static byte[] noiseJpeg(int width, int height) throws Exception {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random rnd = new Random(11);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, rnd.nextInt(0x1000000));
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
