package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.encoders.weights.SafetensorsHeader;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.model.ServedModel;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real server on 127.0.0.1:0 over the CLIP-tiny checkpoint: features equal a direct tower call.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class EmbeddingServerTest {
  static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");
  static final HttpSettings SETTINGS =
      new HttpSettings(
          "127.0.0.1", 0, 300_000, 100_000, 8, Duration.ofSeconds(2), Duration.ofSeconds(60));
  private ServedModel model;
  private EmbeddingServer server;
  private HttpCalls http;
  private ImageProcessor processor;
  private FeatureEncoder direct;

  @BeforeAll
  void start() {
    model =
        ServedModel.open(
            MODEL,
            null,
            VitrailTestSettings.of(
                "vitrail.workers { count = 2, batch-limit = 4 }\nvitrail.admission.max-in-flight-items = 6"));
    server = EmbeddingServer.start(model, SETTINGS);
    http = new HttpCalls(server.address());
    processor = ImageProcessors.forModel(MODEL);
    direct = FeatureEncoders.open(MODEL, EncoderOptions.cpu());
  }

  @AfterAll
  void stop() {
    server.close();
    model.close();
    direct.close();
  }

  static String dataUrl(byte[] image, String mime) {
    return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(image);
  }

  static ObjectNode body(Object... inputs) {
    ObjectNode b = HttpCalls.MAPPER.createObjectNode();
    ArrayNode in = b.putArray("input");
    for (Object o : inputs) {
      if (o instanceof JsonNode n) {
        in.add(n);
      } else {
        in.add((String) o);
      }
    }
    return b;
  }

  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).floatValue();
    }
    return out;
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }

  /** Features of the model's own preprocessing of {@code image}, one direct tower call. */
  FeatureOutput directly(byte[] image, FeatureSpec spec) {
    return direct.encode(List.of(processor.process(image)), spec).get(0);
  }

  static void assertClose(FeatureOutput want, int[] shape, float[] got) {
    assertArrayEquals(want.shape(), shape);
    assertEquals(want.values().length, got.length);
    double worst = 0;
    for (int i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(want.values()[i] - got[i]));
    }
    // Batches of other sizes may round differently in the GEMMs; nothing else may differ.
    assertTrue(worst <= 1e-5, "max abs difference " + worst);
  }

  @Test
  void jsonEmbeddingsEqualADirectTowerCall() {
    byte[] a = TestImages.png(40, 30, 1);
    byte[] b = TestImages.encoded(23, 57, 2, "jpg");
    byte[] c = TestImages.png(64, 64, 3);
    ObjectNode wrapped = HttpCalls.MAPPER.createObjectNode().put("type", "image_url");
    wrapped.putObject("image_url").put("url", dataUrl(c, "image/png"));
    ObjectNode req =
        body(dataUrl(a, "image/png"), Base64.getEncoder().encodeToString(b), wrapped)
            .put("model", model.name())
            .put("encoding_format", "float");
    HttpResponse<byte[]> res = http.post("/v1/embeddings", req);
    assertEquals(200, res.statusCode(), new String(res.body()));
    JsonNode json = HttpCalls.json(res);
    assertEquals("list", json.get("object").asText());
    assertEquals("clip-tiny", json.get("model").asText());
    byte[][] images = {a, b, c};
    long tokens = 0;
    for (int i = 0; i < 3; i++) {
      JsonNode item = json.get("data").get(i);
      assertEquals("embedding", item.get("object").asText());
      assertEquals(i, item.get("index").asInt());
      int[] shape = ints(item.get("shape"));
      assertEquals(2, shape.length);
      tokens += shape[0];
      assertClose(
          directly(images[i], FeatureSpec.defaults()), shape, floats(item.get("embedding")));
    }
    assertEquals(tokens, json.get("usage").get("prompt_tokens").asLong());
    assertEquals(tokens, json.get("usage").get("total_tokens").asLong());
  }

  @Test
  void base64AndSafetensorsCarryTheSameFeatures() {
    byte[] a = TestImages.png(33, 21, 4);
    byte[] b = TestImages.png(18, 40, 5);
    ObjectNode req =
        body(dataUrl(a, "image/png"), dataUrl(b, "image/png")).put("encoding_format", "base64");
    JsonNode json = HttpCalls.json(http.post("/v1/embeddings", req));
    FeatureOutput wantA = directly(a, FeatureSpec.defaults());
    byte[] raw = Base64.getDecoder().decode(json.get("data").get(0).get("embedding").asText());
    float[] got = new float[raw.length / 4];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
    assertClose(wantA, ints(json.get("data").get(0).get("shape")), got);

    HttpResponse<byte[]> bin =
        http.post(
            "/v1/embeddings",
            body(dataUrl(a, "image/png"), dataUrl(b, "image/png")),
            "Accept",
            "application/octet-stream");
    assertEquals(200, bin.statusCode());
    assertEquals(
        "application/octet-stream", bin.headers().firstValue("Content-Type").orElseThrow());
    ByteBuffer buf = ByteBuffer.wrap(bin.body()).order(ByteOrder.LITTLE_ENDIAN);
    SafetensorsHeader header = SafetensorsHeader.parse(buf);
    header.requireFileSize(bin.body().length);
    assertEquals("clip-tiny", header.metadata().get("model"));
    assertEquals(2, header.entries().size());
    byte[][] images = {a, b};
    for (int i = 0; i < 2; i++) {
      SafetensorsHeader.Entry e = header.entry(Integer.toString(i));
      assertEquals("F32", e.dtype());
      float[] values = new float[(int) ((e.end() - e.begin()) / 4)];
      buf.duplicate()
          .order(ByteOrder.LITTLE_ENDIAN)
          .position((int) (header.dataStart() + e.begin()))
          .slice()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
      int[] shape = java.util.Arrays.stream(e.shape()).mapToInt(Math::toIntExact).toArray();
      assertClose(directly(images[i], FeatureSpec.defaults()), shape, values);
    }
  }

  @Test
  void featureSelectionOptionsReachTheTower() {
    byte[] a = TestImages.png(50, 35, 6);
    ObjectNode req =
        body(dataUrl(a, "image/png"))
            .put("feature_select_strategy", "full")
            .put("post_layernorm", false);
    req.putArray("select_layers").add(-2).add(1);
    JsonNode item = HttpCalls.json(http.post("/v1/embeddings", req)).get("data").get(0);
    assertClose(
        directly(a, new FeatureSpec(List.of(-2, 1), "full", false, false)),
        ints(item.get("shape")),
        floats(item.get("embedding")));

    ObjectNode pooled = body(dataUrl(a, "image/png")).put("pooled", true);
    JsonNode p = HttpCalls.json(http.post("/v1/embeddings", pooled)).get("data").get(0);
    assertClose(
        directly(a, new FeatureSpec(List.of(), null, true, true)),
        ints(p.get("shape")),
        floats(p.get("embedding")));
  }

  @Test
  void healthModelsAndMetrics() {
    assertEquals(200, http.get("/health").statusCode());
    assertEquals("ready", HttpCalls.json(http.get("/health")).get("status").asText());
    assertEquals(200, http.get("/health/live").statusCode());
    assertEquals(
        "clip-tiny", HttpCalls.json(http.get("/v1/models")).get("data").get(0).get("id").asText());
    assertEquals(400, http.post("/v1/embeddings", body("not an image!")).statusCode());
    assertEquals(422, http.post("/v1/embeddings", body("x".repeat(64))).statusCode());
    assertEquals(
        200,
        http.post("/v1/embeddings", body(dataUrl(TestImages.png(9, 9, 7), "image/png")))
            .statusCode());
    HttpResponse<byte[]> m = http.get("/metrics");
    assertEquals(200, m.statusCode());
    String text = new String(m.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(text.contains("# TYPE vitrail_http_requests_total counter"), text);
    assertTrue(
        text.matches(
            "(?s).*vitrail_http_errors_total\\{kind=\"invalid_image\",status=\"422\"} [1-9].*"),
        text);
    assertTrue(
        text.matches("(?s).*vitrail_worker_completed_total\\{worker=\"local/0\"} \\d+.*"), text);
    assertTrue(
        text.matches("(?s).*vitrail_worker_completed_total\\{worker=\"local/1\"} \\d+.*"), text);
    assertTrue(text.contains("vitrail_http_in_flight "), text);
    assertTrue(text.contains("vitrail_cache_hits_total 0"), text);
    assertTrue(text.contains("vitrail_lost_worker_redispatches_total 0"), text);
    assertTrue(text.contains("vitrail_cache_misses_total "), text);
  }
}
