package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.dedupe.DedupeStats;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.model.ModelList;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two models (CLIP-tiny and Qwen2.5-VL-tiny) in one server: {@code model} picks one on every
 * endpoint and each answers with its own features (equal to its own tower), {@code /v1/models} and
 * {@code /health} list both, each model keeps its own workers; and the {@code vitrail.models} list.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class SeveralModelsTest {
  @TempDir static Path uploads;
  private VideoServer s;
  private final byte[] image = TestImages.png(40, 30, 5);

  @BeforeAll
  void start() {
    s = new VideoServer(uploads);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private static FeatureOutput direct(Path model, byte[] image) {
    try (FeatureEncoder tower = FeatureEncoders.open(model, EncoderOptions.cpu())) {
      return tower
          .encode(List.of(ImageProcessors.forModel(model).process(image)), FeatureSpec.defaults())
          .get(0);
    }
  }

  @Test
  void eachModelAnswersWithItsOwnFeaturesOnEveryEndpoint() {
    for (Path dir : List.of(VideoServer.CLIP, VideoServer.QWEN)) {
      String name = dir.getFileName().toString();
      FeatureOutput want = direct(dir, image);
      JsonNode json =
          HttpCalls.json(
              s.http.post(
                  "/v1/embeddings",
                  ("{\"model\":\""
                          + name
                          + "\",\"input\":[\""
                          + ShapeServer.dataUrl(image)
                          + "\"]}")
                      .getBytes(StandardCharsets.UTF_8)));
      assertEquals(name, json.get("model").asText());
      JsonNode item = json.get("data").get(0);
      EmbeddingServerTest.assertClose(
          want,
          EmbeddingServerTest.ints(item.get("shape")),
          EmbeddingServerTest.floats(item.get("embedding")));

      HttpResponse<byte[]> raw = s.http.postAs("/v1/encode?model=" + name, "image/png", image);
      assertEquals(200, raw.statusCode(), new String(raw.body(), StandardCharsets.UTF_8));
      List<int[]> shapes = new ArrayList<>();
      List<float[]> got = ShapeServer.safetensors(raw.body(), shapes);
      EmbeddingServerTest.assertClose(want, shapes.get(0), got.get(0));
    }
    assertNotEquals(
        direct(VideoServer.CLIP, image).values().length,
        direct(VideoServer.QWEN, image).values().length);
  }

  @Test
  void theQwenModelServesTheVlmTierAndTheClipModelDoesNot() {
    String body = "{\"model\":\"%s\",\"input\":[\"" + ShapeServer.dataUrl(image) + "\"]}";
    HttpResponse<byte[]> qwen =
        s.http.post("/v1/vlm/encode", String.format(body, "qwen2_5_vl-tiny").getBytes());
    assertEquals(200, qwen.statusCode(), new String(qwen.body(), StandardCharsets.UTF_8));
    assertEquals("qwen2_5_vl-tiny", HttpCalls.json(qwen).get("model").asText());
    HttpResponse<byte[]> clip =
        s.http.post("/v1/vlm/encode", String.format(body, "clip-tiny").getBytes());
    assertEquals(404, clip.statusCode());
  }

  @Test
  void modelsAndHealthListBothAndEachModelHasItsOwnWorkers() {
    JsonNode models = HttpCalls.json(s.http.get("/v1/models")).get("data");
    assertEquals(2, models.size());
    assertEquals("clip-tiny", models.get(0).get("id").asText());
    assertEquals("clip", models.get(0).get("family").asText());
    assertEquals("qwen2_5_vl-tiny", models.get(1).get("id").asText());
    JsonNode health = HttpCalls.json(s.http.get("/health"));
    assertEquals("ready", health.get("status").asText());
    assertEquals(2, health.get("models").size());
    assertEquals(8, s.clip.vitrail().settings().batchLimit());
    assertEquals(4, s.qwen.vitrail().settings().batchLimit());
    assertTrue(s.clip.vitrail().system() != s.qwen.vitrail().system());
    String metrics = new String(s.http.get("/metrics").body(), StandardCharsets.UTF_8);
    assertTrue(metrics.contains("vitrail_model_items_in_flight{model=\"clip-tiny\"} 0"), metrics);
    assertTrue(
        metrics.contains("vitrail_model_failed_items_total{model=\"qwen2_5_vl-tiny\"} 0"), metrics);
    assertEquals(
        1, metrics.lines().filter(l -> l.startsWith("# TYPE vitrail_items_in_flight")).count());
  }

  @Test
  void eachModelHasItsOwnDedupeCountersAndTheVlmTierUsesItsCache() {
    byte[] img = TestImages.png(36, 28, 77);
    String clipBody = "{\"model\":\"clip-tiny\",\"input\":[\"" + ShapeServer.dataUrl(img) + "\"]}";
    String qwenBody =
        "{\"model\":\"qwen2_5_vl-tiny\",\"input\":[\"" + ShapeServer.dataUrl(img) + "\"]}";
    DedupeStats clip0 = s.server.metrics().dedupe("clip-tiny");
    DedupeStats qwen0 = s.server.metrics().dedupe("qwen2_5_vl-tiny");
    JsonNode first = HttpCalls.json(s.http.post("/v1/vlm/encode", qwenBody.getBytes()));
    JsonNode again = HttpCalls.json(s.http.post("/v1/vlm/encode", qwenBody.getBytes()));
    DedupeStats qwen1 = s.server.metrics().dedupe("qwen2_5_vl-tiny");
    assertEquals(1, qwen1.decoded() - qwen0.decoded(), "the VLM tier decodes a repeat no more");
    assertEquals(1, qwen1.features().hits() - qwen0.features().hits());
    assertEquals(first.get("data").toString(), again.get("data").toString());
    // The same bytes on /v1/embeddings of the same model: other options, another entry.
    HttpCalls.json(s.http.post("/v1/embeddings", qwenBody.getBytes()));
    assertEquals(
        2,
        s.server.metrics().dedupe("qwen2_5_vl-tiny").features().misses()
            - qwen0.features().misses());
    HttpCalls.json(s.http.post("/v1/embeddings", clipBody.getBytes()));
    HttpCalls.json(s.http.post("/v1/embeddings", clipBody.getBytes()));
    DedupeStats clip1 = s.server.metrics().dedupe("clip-tiny");
    assertEquals(1, clip1.decoded() - clip0.decoded());
    assertEquals(1, clip1.features().hits() - clip0.features().hits());
    String metrics = new String(s.http.get("/metrics").body(), StandardCharsets.UTF_8);
    for (String model : List.of("clip-tiny", "qwen2_5_vl-tiny")) {
      DedupeStats d = s.server.metrics().dedupe(model);
      assertTrue(
          metrics.contains(
              "vitrail_dedupe_hits_total{model=\"" + model + "\"} " + d.features().hits()),
          metrics);
      assertTrue(
          metrics.contains(
              "vitrail_http_images_decoded_total{model=\"" + model + "\"} " + d.decoded()),
          metrics);
    }
    assertEquals(
        1, metrics.lines().filter(l -> l.startsWith("# TYPE vitrail_dedupe_hits_total")).count());
  }

  @Test
  void theModelsListGivesEachItsOwnSettings() {
    var config =
        ConfigFactory.parseString(
                "vitrail.models = [{dir = \"a/clip\", name = \"c\", settings { workers.count = 3 }},"
                    + " {dir = \"b/qwen\"}]")
            .withFallback(ConfigFactory.defaultReference())
            .resolve();
    List<ModelList.Spec> specs = ModelList.from(config);
    assertEquals(2, specs.size());
    assertEquals("c", specs.get(0).name());
    assertEquals(3, specs.get(0).config().getInt("vitrail.workers.count"));
    assertEquals(1, specs.get(1).config().getInt("vitrail.workers.count"));
    assertEquals(null, specs.get(1).name());
    assertThrows(
        InvalidSettingsException.class,
        () ->
            ModelList.from(
                ConfigFactory.parseString("vitrail.models = [{dir = \"x/m\"}, {dir = \"y/m\"}]")));
    assertThrows(
        InvalidSettingsException.class,
        () -> ModelList.from(ConfigFactory.parseString("vitrail.models = [{name = \"m\"}]")));
  }
}
