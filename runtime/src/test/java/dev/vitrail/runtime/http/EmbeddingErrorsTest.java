package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.body;
import static dev.vitrail.runtime.http.EmbeddingServerTest.dataUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.runtime.api.Vitrail;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error path answers its status and kind, and leaves the server serving. */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingErrorsTest {
  private ServedModel model;
  private EmbeddingServer server;
  private HttpCalls http;

  @BeforeAll
  void start() {
    model =
        ServedModel.open(
            EmbeddingServerTest.MODEL,
            "tiny",
            VitrailTestSettings.of(
                "vitrail.workers.count = 1\nvitrail.admission.max-in-flight-items = 6"));
    server = EmbeddingServer.start(model, EmbeddingServerTest.SETTINGS);
    http = new HttpCalls(server.address());
  }

  @AfterAll
  void stop() {
    server.close();
    model.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String png() {
    return dataUrl(TestImages.png(12, 10, 9), "image/png");
  }

  static Stream<Arguments> badRequests() {
    byte[] noise = new byte[120_000];
    new Random(1).nextBytes(noise);
    String[] nine = new String[9];
    String[] seven = new String[7];
    Arrays.fill(nine, png());
    Arrays.fill(seven, png());
    return Stream.of(
        Arguments.of("syntax error", utf8("{\"input\": ["), 400, "malformed_request"),
        Arguments.of("not an object", utf8("[1, 2]"), 400, "malformed_request"),
        Arguments.of("no input", utf8("{}"), 400, "malformed_request"),
        Arguments.of("empty input", utf8("{\"input\": []}"), 400, "malformed_request"),
        Arguments.of(
            "unknown field",
            utf8(body(png()).put("temperature", 3).toString()),
            400,
            "malformed_request"),
        Arguments.of(
            "bad encoding_format",
            utf8(body(png()).put("encoding_format", "int4").toString()),
            400,
            "malformed_request"),
        Arguments.of(
            "bad strategy",
            utf8(body(png()).put("feature_select_strategy", "cls").toString()),
            400,
            "malformed_request"),
        Arguments.of(
            "layer out of range",
            utf8("{\"input\": [\"" + png() + "\"], \"select_layers\": [99]}"),
            400,
            "malformed_request"),
        Arguments.of("input is a number", utf8("{\"input\": [5]}"), 400, "malformed_request"),
        Arguments.of("bad base64", utf8(body("@".repeat(40)).toString()), 422, "invalid_image"),
        Arguments.of("text", utf8(body("@@@@").toString()), 400, "malformed_request"),
        Arguments.of(
            "remote URL (fetching off)",
            utf8(body("https://example.com/cat.png").toString()),
            422,
            "url_fetch_disabled"),
        Arguments.of(
            "text data URL", utf8(body("data:text/plain,hello").toString()), 422, "invalid_image"),
        Arguments.of(
            "not an image",
            utf8(
                body(Base64.getEncoder()
                        .encodeToString(utf8("hello world, these bytes are not an image")))
                    .toString()),
            422,
            "invalid_image"),
        Arguments.of(
            "zero-size image",
            utf8(body(dataUrl(TestImages.pngHeaderOnly(0, 5), "image/png")).toString()),
            422,
            "invalid_image"),
        Arguments.of(
            "too many pixels",
            utf8(body(dataUrl(TestImages.pngHeaderOnly(20_000, 20_000), "image/png")).toString()),
            413,
            "image_too_large"),
        Arguments.of(
            "image over byte limit",
            utf8(body(dataUrl(noise, "image/png"), png()).toString()),
            413,
            "image_too_large"),
        Arguments.of(
            "too many inputs", utf8(body((Object[]) nine).toString()), 413, "body_too_large"),
        Arguments.of(
            "body over limit",
            utf8("{\"input\": [\"" + "A".repeat(400_000) + "\"]}"),
            413,
            "body_too_large"),
        Arguments.of(
            "unknown model",
            utf8(body(png()).put("model", "gpt-vision").toString()),
            404,
            "unknown_model"),
        Arguments.of(
            "more inputs than the in-flight limit",
            utf8(body((Object[]) seven).toString()),
            413,
            "body_too_large"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badRequestsGetTheirStatusAndChangeNothing(
      String name, byte[] request, int status, String kind) {
    long before =
        server.metrics().errors(ErrorKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)));
    HttpResponse<byte[]> res = http.post("/v1/embeddings", request);
    assertEquals(status, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    JsonNode error = HttpCalls.json(res).get("error");
    assertEquals(kind, error.get("type").asText());
    assertEquals(status, error.get("code").asInt());
    assertFalse(error.get("message").asText().isBlank());
    assertEquals(kind.equals("busy"), res.headers().firstValue("Retry-After").isPresent());
    res.headers().firstValue("Retry-After").ifPresent(v -> assertEquals("2", v));
    assertEquals(
        before + 1,
        server.metrics().errors(ErrorKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT))));
    HttpResponse<byte[]> ok = http.post("/v1/embeddings", body(png()));
    assertEquals(200, ok.statusCode(), "the server still serves after '" + name + "'");
    assertEquals(0, server.metrics().inFlight());
  }

  @Test
  void unacceptableResponseTypeIs406() {
    HttpResponse<byte[]> res = http.post("/v1/embeddings", body(png()), "Accept", "text/html");
    assertEquals(406, res.statusCode());
    assertEquals("not_acceptable", HttpCalls.json(res).get("error").get("type").asText());
  }

  @Test
  void aDrainingServerIsNotReadyAndRefusesNewWork() {
    try (EmbeddingServer second = EmbeddingServer.start(model, EmbeddingServerTest.SETTINGS)) {
      HttpCalls calls = new HttpCalls(second.address());
      assertEquals(200, calls.post("/v1/embeddings", body(png())).statusCode());
      second.drain();
      assertEquals(503, calls.get("/health").statusCode());
      assertEquals(200, calls.get("/health/live").statusCode());
      HttpResponse<byte[]> res = calls.post("/v1/embeddings", body(png()));
      assertEquals(503, res.statusCode());
      assertEquals("shutting_down", HttpCalls.json(res).get("error").get("type").asText());
    }
    assertEquals(200, http.get("/health").statusCode());
  }

  @Test
  void aFullRuntimeAnswersBusyWithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FeatureEncoder slow =
        new FeatureEncoder() {
          @Override
          public String family() {
            return "clip";
          }

          @Override
          public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return batch.stream()
                .map(p -> new FeatureOutput(new float[] {1, 2}, new int[] {1, 2}))
                .toList();
          }

          @Override
          public void close() {}
        };
    Vitrail vitrail =
        Vitrail.start(
            VitrailTestSettings.of("vitrail.admission.max-in-flight-items = 6"), w -> slow);
    try (ServedModel held =
            new ServedModel("tiny", model.dir(), model.config(), model.processor(), vitrail);
        EmbeddingServer s = EmbeddingServer.start(held, EmbeddingServerTest.SETTINGS)) {
      HttpCalls calls = new HttpCalls(s.address());
      byte[] four = utf8(body(png(), png(), png(), png()).toString());
      CompletableFuture<HttpResponse<byte[]>> first =
          CompletableFuture.supplyAsync(() -> calls.post("/v1/embeddings", four));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (vitrail.stats().toCompletableFuture().get().inFlightItems() < 4
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      HttpResponse<byte[]> busy = calls.post("/v1/embeddings", four);
      assertEquals(503, busy.statusCode(), new String(busy.body(), StandardCharsets.UTF_8));
      assertEquals("busy", HttpCalls.json(busy).get("error").get("type").asText());
      assertEquals("2", busy.headers().firstValue("Retry-After").orElseThrow());
      release.countDown();
      HttpResponse<byte[]> done = first.get(30, TimeUnit.SECONDS);
      assertEquals(200, done.statusCode());
      assertEquals(4, HttpCalls.json(done).get("data").size());
      assertEquals(1, s.metrics().errors(ErrorKind.BUSY));
    } finally {
      release.countDown();
    }
  }

  @Test
  void aTowerThatFailsOnEveryAttemptIs500() {
    FeatureEncoder broken =
        new FeatureEncoder() {
          @Override
          public String family() {
            return "clip";
          }

          @Override
          public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
            throw new IllegalStateException("injected tower failure");
          }

          @Override
          public void close() {}
        };
    Vitrail vitrail =
        Vitrail.start(
            VitrailTestSettings.of(
                "vitrail.admission.max-attempts = 1\n"
                    + "vitrail.workers { restart-min-backoff = 10ms, restart-max-backoff = 20ms }"),
            worker -> broken);
    try (ServedModel bad =
            new ServedModel("tiny", model.dir(), model.config(), model.processor(), vitrail);
        EmbeddingServer s = EmbeddingServer.start(bad, EmbeddingServerTest.SETTINGS)) {
      HttpResponse<byte[]> res = new HttpCalls(s.address()).post("/v1/embeddings", body(png()));
      assertEquals(500, res.statusCode());
      JsonNode error = HttpCalls.json(res).get("error");
      assertEquals("internal", error.get("type").asText());
      assertTrue(
          error.get("message").asText().contains("injected tower failure"), error.toString());
    }
  }
}
