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
import java.net.URI;
import java.net.http.HttpClient;
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

/**
 * HTTP surface cost: images/s of {@code POST /v1/embeddings} (JSON floats, safetensors bodies,
 * base64 JSON) and of {@code POST /v1/encode} (multipart PNGs, safetensors answer) against the
 * embedded API on the same model, same concurrency, runs alternated. The {@code http-*} modes use
 * the JDK's HttpClient; the {@code raw-*} modes send the same bytes with {@link RawHttpClient} (a
 * keep-alive socket, as a load generator or a remote client costs this machine). The embedded modes
 * start from ready pixels and from PNG bytes (decoded by the same processor), so the ratios
 * separate the HTTP + JSON cost from decoding. Each mode also reports the process's CPU time per
 * image (client, server and workers together), steadier than images/s on a shared machine.
 * Arguments: model dir or a {@code config.json} given random weights (default models/clip-tiny),
 * runs (5), requests per client per run (25), images per request (8), clients (4), image side
 * (224), modes to run (comma-separated, default all; embedded-png is needed for the ratios).
 */
public final class HttpBench {
  private HttpBench() {}

  /** Prints images/s of each mode per run, then medians and ratios. */
  public static void main(String[] args) throws Exception {
    Path model = HttpBenchRequests.modelDir(args.length > 0 ? args[0] : "models/clip-tiny");
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
      pngs.add(HttpBenchRequests.png(side, rnd));
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
    byte[] multipart = HttpBenchRequests.multipart(pngs);
    String[] modes = {
      "embedded-pixels",
      "embedded-png",
      "http-json",
      "http-safetensors",
      "http-base64",
      "http-encode-multi",
      "raw-json",
      "raw-base64",
      "raw-encode-multi"
    };
    List<String> picked =
        args.length > 6 ? Arrays.asList(args[6].split(",")) : Arrays.asList(modes);
    double[][] rates = new double[modes.length][runs];
    double[][] cpu = new double[modes.length][runs];
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (ServedModel served = ServedModel.open(model, null, settings);
        EmbeddingServer server =
            EmbeddingServer.start(served, HttpSettings.load().withAddress("127.0.0.1", 0))) {
      List<PixelInput> pixels = pngs.stream().map(served.processor()::process).toList();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/embeddings");
      URI encode = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/encode");
      List<RawHttpClient> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
      ThreadLocal<RawHttpClient> raw =
          ThreadLocal.withInitial(
              () -> {
                try {
                  RawHttpClient c = new RawHttpClient(server.address());
                  opened.add(c);
                  return c;
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      String multipartType = "multipart/form-data; boundary=" + BOUNDARY;
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
                  HttpBenchRequests.post(
                      client, encode, multipart, "application/octet-stream", multipartType),
              () -> raw.get().post("/v1/embeddings", json, JSON, JSON),
              () -> raw.get().post("/v1/embeddings", base64, JSON, JSON),
              () ->
                  raw.get()
                      .post("/v1/encode", multipart, "application/octet-stream", multipartType));
      // Warm-up: a whole run per mode, so the JIT has compiled the HTTP stack's paths too.
      for (int m = 0; m < modes.length; m++) {
        if (picked.contains(modes[m])) {
          measure(pool, calls.get(m), clients, perClient, batch);
        }
      }
      for (int r = 0; r < runs; r++) {
        for (int m = 0; m < modes.length; m++) {
          if (!picked.contains(modes[m])) {
            continue;
          }
          long c0 = HttpBenchRequests.cpuNanos();
          rates[m][r] = measure(pool, calls.get(m), clients, perClient, batch);
          cpu[m][r] = (HttpBenchRequests.cpuNanos() - c0) / 1e3 / (clients * perClient * batch);
          System.out.printf(
              Locale.ROOT,
              "run %d %-17s %9.1f images/s %9.1f us CPU/image%n",
              r,
              modes[m],
              rates[m][r],
              cpu[m][r]);
        }
      }
      for (RawHttpClient c : opened) {
        c.close();
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
      if (!picked.contains(modes[m])) {
        continue;
      }
      System.out.printf(
          Locale.ROOT,
          "  %-17s %9.1f images/s (x%.3f of embedded-png, x%.3f of embedded-pixels);"
              + " %8.1f us process CPU/image (embedded-png's CPU / this: x%.3f)%n",
          modes[m],
          median(rates[m]),
          median(rates[m]) / median(rates[1]),
          median(rates[m]) / median(rates[0]),
          median(cpu[m]),
          median(cpu[1]) / median(cpu[m]));
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

  private static Object post(
      HttpClient client, URI uri, byte[] body, String accept, String contentType) throws Exception {
    return HttpBenchRequests.post(client, uri, body, accept, contentType);
  }

  private static final String JSON = HttpBenchRequests.JSON;
  private static final String BOUNDARY = HttpBenchRequests.BOUNDARY;

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
