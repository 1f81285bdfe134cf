package dev.vitrail.bench.runtime;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.runtime.dedupe.DedupeSettings;
import dev.vitrail.runtime.http.EmbeddingServer;
import dev.vitrail.runtime.http.HttpSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;

/**
 * Dedupe before decode: latency of {@code POST /v1/embeddings} (one image, one client) when the
 * image is new (decode + encode; "miss"), when the same bytes were just sent (answered from the
 * feature cache keyed on the encoded bytes; "hit"), and for new images on a server with the caches
 * off ("off", the cost of hashing shows as miss - off). Each image goes miss, hit, then off, so the
 * three are measured side by side. Arguments: model dir (default models/clip-tiny), images (200),
 * image side (224), warm-up images (20). Prints median and p99 in milliseconds.
 */
public final class DedupeBench {
  private DedupeBench() {}

  /** Runs the measurement and prints one line per mode. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "models/clip-tiny");
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int side = args.length > 2 ? Integer.parseInt(args[2]) : 224;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    HttpSettings http = HttpSettings.load().withAddress("127.0.0.1", 0);
    try (ServedModel model =
            ServedModel.open(dir, null, RuntimeSettings.from(ConfigFactory.load()));
        EmbeddingServer on =
            EmbeddingServer.start(
                model, http.withDedupe(new DedupeSettings(256L << 20, 100_000, 0, 0)));
        EmbeddingServer off = EmbeddingServer.start(model, http.withDedupe(DedupeSettings.off()))) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Random rnd = new Random(11);
      double[][] ms = new double[3][images];
      for (int i = -warmup; i < images; i++) {
        byte[] body = body(HttpBenchRequests.png(side, rnd));
        double miss = post(client, on, body);
        double hit = post(client, on, body);
        double cold = post(client, off, body);
        if (i >= 0) {
          ms[0][i] = miss;
          ms[1][i] = hit;
          ms[2][i] = cold;
        }
      }
      String[] names = {"miss (new image, caches on)", "hit (same bytes again)", "off (new image)"};
      System.out.printf(
          Locale.ROOT,
          "model %s, %d images of %dx%d PNG, one client, one image per request%n",
          dir,
          images,
          side,
          side);
      for (int m = 0; m < 3; m++) {
        double[] s = ms[m].clone();
        Arrays.sort(s);
        System.out.printf(
            Locale.ROOT,
            "%-30s median %8.3f ms   p99 %8.3f ms%n",
            names[m],
            s[s.length / 2],
            s[Math.min(s.length - 1, (int) Math.ceil(0.99 * s.length) - 1)]);
      }
      System.out.println(on.metrics().dedupe());
    }
  }

  private static double post(HttpClient client, EmbeddingServer server, byte[] body)
      throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/embeddings"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long t0 = System.nanoTime();
    HttpResponse<byte[]> res = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    double ms = (System.nanoTime() - t0) / 1e6;
    if (res.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + res.statusCode() + ": " + new String(res.body()));
    }
    return ms;
  }

  private static byte[] body(byte[] png) {
    return ("{\"input\":[\"data:image/png;base64,"
            + Base64.getEncoder().encodeToString(png)
            + "\"]}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
