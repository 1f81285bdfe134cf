package dev.vitrail.bench.runtime;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.EncodeInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.http.EmbeddingServer;
import dev.vitrail.runtime.http.HttpSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * HTTP surface cost: images/s of {@code POST /v1/embeddings} (JSON floats, safetensors bodies,
 * base64 JSON) and of {@code POST /v1/encode} (multipart PNGs, safetensors answer) against the
 * embedded API on the same model, same concurrency, runs alternated. The embedded modes start from
 * ready pixels and from PNG bytes (decoded by the same processor), so the ratios separate the HTTP
 * + JSON cost from decoding. Arguments: model dir (default models/clip-tiny), runs (5), requests
 * per client per run (25), images per request (8), clients (4), image side (224).
 */
public final class HttpBench {
  private HttpBench() {}

  /** Prints images/s of each mode per run, then medians and ratios. */
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/clip-tiny");
    int runs = arg(args, 1, 5);
    int perClient = arg(args, 2, 25);
    int batch = arg(args, 3, 8);
    int clients = arg(args, 4, 4);
    int side = arg(args, 5, 224);
    RuntimeSettings settings =
        RuntimeSettings.from(
            ConfigFactory.parseMap(
                    Map.of(
                        "vitrail.workers.batch-limit",
                        batch,
                        "vitrail.stream.preprocess-threads",
                        clients))
                .withFallback(ConfigFactory.load()));
    List<byte[]> pngs = new ArrayList<>();
    Random rnd = new Random(7);
    for (int i = 0; i < batch; i++) {
      pngs.add(png(side, rnd));
    }
    StringBuilder body = new StringBuilder("{\"input\": [");
    for (int i = 0; i < batch; i++) {
      body.append(i > 0 ? "," : "")
          .append("\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(pngs.get(i)))
          .append('"');
    }
    byte[] json = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    byte[] base64 =
        (body.substring(0, body.length() - 2) + "], \"encoding_format\": \"base64\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] multipart = multipart(pngs);
    String[] modes = {
      "embedded-pixels",
      "embedded-png",
      "http-json",
      "http-safetensors",
      "http-base64",
      "http-encode-multi"
    };
    double[][] rates = new double[modes.length][runs];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (ServedModel served = ServedModel.open(model, null, settings);
        EmbeddingServer server =
            EmbeddingServer.start(served, HttpSettings.load().withAddress("127.0.0.1", 0))) {
      List<PixelInput> pixels = pngs.stream().map(served.processor()::process).toList();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/embeddings");
      URI encode = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/encode");
      List<Call> calls =
          List.of(
              () ->
                  served
                      .vitrail()
                      .encode(EncodeRequest.ofPixels("b", pixels, FeatureSpec.defaults()))
                      .toCompletableFuture()
                      .get()
                      .features(),
              () ->
                  served
                      .vitrail()
                      .encode(
                          new EncodeRequest(
                              "b",
                              pngs.stream().map(EncodeInput::of).toList(),
                              FeatureSpec.defaults(),
                              0))
                      .toCompletableFuture()
                      .get()
                      .features(),
              () -> post(client, uri, json, "application/json", JSON),
              () -> post(client, uri, json, "application/octet-stream", JSON),
              () -> post(client, uri, base64, "application/json", JSON),
              () ->
                  post(
                      client,
                      encode,
                      multipart,
                      "application/octet-stream",
                      "multipart/form-data; boundary=" + BOUNDARY));
      for (int m = 0; m < modes.length; m++) {
        measure(pool, calls.get(m), clients, Math.max(2, perClient / 5), batch);
      }
      for (int r = 0; r < runs; r++) {
        for (int m = 0; m < modes.length; m++) {
          rates[m][r] = measure(pool, calls.get(m), clients, perClient, batch);
          System.out.printf(Locale.ROOT, "run %d %-17s %9.1f images/s%n", r, modes[m], rates[m][r]);
        }
      }
    } finally {
      pool.shutdown();
    }
    System.out.printf(
        Locale.ROOT,
        "model %s, %d clients x %d requests x %d images of %dx%d px, medians of %d runs:%n",
        model,
        clients,
        perClient,
        batch,
        side,
        side,
        runs);
    for (int m = 0; m < modes.length; m++) {
      System.out.printf(
          Locale.ROOT,
          "  %-17s %9.1f images/s  (x%.3f of embedded-png, x%.3f of embedded-pixels)%n",
          modes[m],
          median(rates[m]),
          median(rates[m]) / median(rates[1]),
          median(rates[m]) / median(rates[0]));
    }
  }

  /** One request of a mode. */
  @FunctionalInterface
  private interface Call {
    Object run() throws Exception;
  }

  private static double measure(
      ExecutorService pool, Call call, int clients, int perClient, int batch) throws Exception {
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perClient; i++) {
                  call.run();
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    return (double) clients * perClient * batch / ((System.nanoTime() - start) / 1e9);
  }

  private static final String JSON = "application/json";
  private static final String BOUNDARY = "vitrail-bench-boundary";

  /** One file part per image, as {@code curl -F file=@...} sends them. */
  private static byte[] multipart(List<byte[]> images) {
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

  private static Object post(
      HttpClient client, URI uri, byte[] json, String accept, String contentType) throws Exception {
    HttpResponse<byte[]> res =
        client.send(
            HttpRequest.newBuilder(uri)
                .header("Accept", accept)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 200) {
      throw new IllegalStateException(
          "HTTP " + res.statusCode() + ": " + new String(res.body(), StandardCharsets.UTF_8));
    }
    return res.body();
  }

  private static byte[] png(int side, Random rnd) throws Exception {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        // Smooth gradients plus noise: compresses like a photo rather than like pure noise.
        int v = (x * 255 / side) << 16 | (y * 255 / side) << 8 | rnd.nextInt(64);
        img.setRGB(x, y, v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
