package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.dedupe.DedupeSettings;
import dev.vitrail.runtime.fetch.FakeDns;
import dev.vitrail.runtime.fetch.FetchSettings;
import dev.vitrail.runtime.fetch.ImageOrigin;
import dev.vitrail.runtime.model.ServedModel;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * CLIP-tiny served four ways on 127.0.0.1:0 (fetching off; fetching on for 127.0.0.1 and {@code
 * *.test} over http; the same https-only; dedupe caches on), a local image origin, and a direct
 * tower to compare with. Names resolve through {@link FakeDns}.
 */
final class FetchServers implements AutoCloseable {
  /** Per-fetch limits of the fetching servers. */
  static final long FETCH_BYTES = 200_000;

  final ServedModel model;
  final ImageOrigin origin = new ImageOrigin(8_000);
  final FakeDns dns = new FakeDns();
  final EmbeddingServer off;
  final EmbeddingServer on;
  final EmbeddingServer httpsOnly;
  final EmbeddingServer dedupe;
  final HttpCalls offHttp;
  final HttpCalls onHttp;
  final HttpCalls httpsHttp;
  final HttpCalls dedupeHttp;
  private final ImageProcessor processor;
  private final FeatureEncoder direct;

  FetchServers() {
    model =
        ServedModel.open(
            EmbeddingServerTest.MODEL,
            null,
            VitrailTestSettings.of(
                "vitrail.workers { count = 1, batch-limit = 4 }\nvitrail.admission.max-in-flight-items = 8"));
    HttpSettings base = EmbeddingServerTest.SETTINGS;
    off = EmbeddingServer.start(model, base, dns);
    on = EmbeddingServer.start(model, base.withFetch(fetch(true)), dns);
    httpsOnly = EmbeddingServer.start(model, base.withFetch(fetch(false)), dns);
    dedupe =
        EmbeddingServer.start(
            model,
            base.withFetch(fetch(true)).withDedupe(new DedupeSettings(8 << 20, 64, 4 << 20, 16)),
            dns);
    offHttp = new HttpCalls(off.address());
    onHttp = new HttpCalls(on.address());
    httpsHttp = new HttpCalls(httpsOnly.address());
    dedupeHttp = new HttpCalls(dedupe.address());
    processor = ImageProcessors.forModel(EmbeddingServerTest.MODEL);
    direct = FeatureEncoders.open(EmbeddingServerTest.MODEL, EncoderOptions.cpu());
  }

  /** Fetching for 127.0.0.1 and *.test: 2 redirects, 3 s reads, 200 kB, 2 at once. */
  static FetchSettings fetch(boolean http) {
    return FetchSettings.off()
        .admitting(List.of("127.0.0.1", "*.test"), http)
        .withLimits(2, Duration.ofSeconds(5), Duration.ofSeconds(3), FETCH_BYTES, 2);
  }

  FeatureOutput directly(byte[] image, FeatureSpec spec) {
    return direct.encode(List.of(processor.process(image)), spec).get(0);
  }

  FeatureOutput pooled(byte[] image) {
    return directly(image, new FeatureSpec(List.of(), null, true, true));
  }

  /** POSTs {@code json} to {@code path} of {@code http}; expects 200. */
  static JsonNode post(HttpCalls http, String path, String json) {
    HttpResponse<byte[]> res = http.post(path, json.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    return HttpCalls.json(res);
  }

  @Override
  public void close() {
    dedupe.close();
    httpsOnly.close();
    on.close();
    off.close();
    model.close();
    direct.close();
    origin.close();
  }
}
