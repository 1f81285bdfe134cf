package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.body;
import static dev.vitrail.runtime.http.EmbeddingServerTest.dataUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.encoders.info.Qwen2VlEncoderInfo;
import dev.vitrail.encoders.preprocess.Qwen2VlProcessor;
import dev.vitrail.encoders.preprocess.Qwen2VlSettings;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.model.ServedModel;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/vlm/encode} on a real server: keys, grids, files, inline parts and errors. */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class VlmEncodeRouteTest {
  @TempDir Path tmp;

  private static long files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void writesEncoderCacheFilesAndAnswersWithUuidsAndGrids() throws IOException {
    Path ec = tmp.resolve("ec");
    System.setProperty("vitrail.vlm.ec-storage", ec.toString());
    System.setProperty("vitrail.vlm.max-tokens-per-image", "50");
    ConfigFactory.invalidateCaches();
    Path model = Fixtures.root().resolve("models/qwen2_5_vl-tiny");
    try (ServedModel served = ServedModel.open(model, null, VitrailTestSettings.of(""));
        EmbeddingServer server = EmbeddingServer.start(served, EmbeddingServerTest.SETTINGS)) {
      HttpCalls http = new HttpCalls(server.address());
      byte[] small = TestImages.png(40, 30, 1);
      byte[] large = TestImages.png(150, 90, 2);
      HttpResponse<byte[]> res =
          http.post(
              "/v1/vlm/encode", body(dataUrl(small, "image/png"), dataUrl(large, "image/png")));
      assertEquals(200, res.statusCode(), new String(res.body()));
      JsonNode data = HttpCalls.json(res).get("data");
      Qwen2VlSettings s = ((Qwen2VlProcessor) served.processor()).settings(); // the model's own
      Qwen2VlEncoderInfo info =
          new Qwen2VlEncoderInfo(
              s.patchSize(), s.mergeSize(), s.temporalPatchSize(), s.minPixels(), s.maxPixels());
      int[][] sizes = {{40, 30}, {150, 90}};
      long total = 0;
      for (int i = 0; i < 2; i++) {
        JsonNode d = data.get(i);
        var v = info.visionInfo(sizes[i][0], sizes[i][1], 1);
        assertEquals("[1," + v.gridH() + "," + v.gridW() + "]", d.get("image_grid_thw").toString());
        assertEquals(info.numImageTokens(sizes[i][0], sizes[i][1]), d.get("num_tokens").asLong());
        Path file = ec.resolve(d.get("uuid").asText()).resolve("encoder_cache.safetensors");
        assertEquals(file.toString(), d.get("ec_path").asText());
        assertTrue(Files.isRegularFile(file));
        assertFalse(d.get("cached").asBoolean());
        total += d.get("num_tokens").asLong();
      }
      assertEquals(total, HttpCalls.json(res).get("usage").get("prompt_tokens").asLong());

      ObjectNode inline = body(dataUrl(small, "image/png"));
      inline.put("output", "inline");
      JsonNode part =
          HttpCalls.json(http.post("/v1/vlm/encode", inline))
              .get("data")
              .get(0)
              .get("content_part");
      assertEquals("image_embeds", part.get("type").asText());
      assertEquals(data.get(0).get("uuid").asText(), part.get("uuid").asText());
      assertTrue(part.get("image_embeds").has("image_grid_thw"));

      JsonNode again =
          HttpCalls.json(http.post("/v1/vlm/encode", body(dataUrl(small, "image/png"))));
      assertTrue(again.get("data").get(0).get("cached").asBoolean());

      long before = files(ec);
      HttpResponse<byte[]> over =
          http.post("/v1/vlm/encode", body(dataUrl(TestImages.png(224, 224, 3), "image/png")));
      assertEquals(413, over.statusCode());
      JsonNode err = HttpCalls.json(over).get("error");
      assertEquals("image_too_large", err.get("type").asText());
      assertTrue(err.get("message").asText().contains("input[0]"), err.toString());
      assertEquals(before, files(ec), "nothing written for a refused request");

      ObjectNode pooled = body(dataUrl(small, "image/png"));
      pooled.put("pooled", true);
      assertEquals(400, http.post("/v1/vlm/encode", pooled).statusCode());
      ObjectNode badOutput = body(dataUrl(small, "image/png"));
      badOutput.put("output", "disk");
      assertEquals(400, http.post("/v1/vlm/encode", badOutput).statusCode());
      assertEquals(400, http.post("/v1/vlm/encode", "{\"input\": []}".getBytes()).statusCode());

      String metrics = new String(http.get("/metrics").body());
      long bytes = 0;
      for (int i = 0; i < 2; i++) {
        bytes += Files.size(Path.of(data.get(i).get("ec_path").asText()));
      }
      assertTrue(metrics.contains("\nvitrail_vlm_requests_total 7\n"), metrics);
      assertTrue(metrics.contains("\nvitrail_vlm_images_total 4\n"), metrics);
      assertTrue(metrics.contains("\nvitrail_vlm_tokens_written_total " + total + "\n"), metrics);
      assertTrue(metrics.contains("\nvitrail_vlm_bytes_written_total " + bytes + "\n"), metrics);
      assertTrue(metrics.contains("\nvitrail_vlm_cache_hits_total 1\n"), metrics);
      assertTrue(metrics.contains("\nvitrail_vlm_evictions_total 0\n"), metrics);
      assertTrue(metrics.contains("vitrail_vlm_errors_total{kind=\"image_too_large\"} 1\n"));
      assertTrue(metrics.contains("vitrail_vlm_errors_total{kind=\"malformed_request\"} 3\n"));
      assertFalse(metrics.contains("\nvitrail_vlm_inline_bytes_total 0\n"), metrics);
    } finally {
      System.clearProperty("vitrail.vlm.ec-storage");
      System.clearProperty("vitrail.vlm.max-tokens-per-image");
      ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void pixtralWritesProjectorRowsAndRefusesInline() throws IOException {
    Path ec = tmp.resolve("ec");
    System.setProperty("vitrail.vlm.ec-storage", ec.toString());
    ConfigFactory.invalidateCaches();
    Path model = Fixtures.root().resolve("models/pixtral-tiny");
    JsonNode config = Fixtures.json("models/pixtral-tiny/config.json");
    int side = config.get("vision_config").get("image_size").asInt();
    int patch = config.get("vision_config").get("patch_size").asInt();
    try (ServedModel served = ServedModel.open(model, null, VitrailTestSettings.of(""));
        EmbeddingServer server = EmbeddingServer.start(served, EmbeddingServerTest.SETTINGS)) {
      HttpCalls http = new HttpCalls(server.address());
      byte[] image = TestImages.png(side / 2 + 3, side / 3, 5);
      HttpResponse<byte[]> res = http.post("/v1/vlm/encode", body(dataUrl(image, "image/png")));
      assertEquals(200, res.statusCode(), new String(res.body()));
      JsonNode d = HttpCalls.json(res).get("data").get(0);
      int nrows = (side / 3 - 1) / patch + 1;
      int ncols = (side / 2 + 3 - 1) / patch + 1;
      assertEquals("[1," + nrows + "," + ncols + "]", d.get("image_grid_thw").toString());
      assertEquals((long) nrows * ncols, d.get("num_tokens").asLong());
      assertEquals(
          config.get("text_config").get("hidden_size").asInt(), d.get("hidden_size").asInt());
      assertTrue(Files.isRegularFile(Path.of(d.get("ec_path").asText())));

      ObjectNode inline = body(dataUrl(image, "image/png"));
      inline.put("output", "inline");
      HttpResponse<byte[]> refused = http.post("/v1/vlm/encode", inline);
      assertEquals(400, refused.statusCode());
      assertTrue(new String(refused.body()).contains("Pixtral-HF does not support image_embeds"));
    } finally {
      System.clearProperty("vitrail.vlm.ec-storage");
      ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void aModelWithoutATierAnswers404() {
    try (ServedModel served =
            ServedModel.open(EmbeddingServerTest.MODEL, null, VitrailTestSettings.of(""));
        EmbeddingServer server = EmbeddingServer.start(served, EmbeddingServerTest.SETTINGS)) {
      HttpResponse<byte[]> res =
          new HttpCalls(server.address())
              .post("/v1/vlm/encode", body(dataUrl(TestImages.png(8, 8, 1), "image/png")));
      assertEquals(404, res.statusCode());
      assertTrue(new String(res.body()).contains("no VLM encoder tier"));
    }
  }
}
