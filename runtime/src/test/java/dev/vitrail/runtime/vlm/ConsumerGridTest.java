package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.encoders.info.Qwen2VlEncoderInfo;
import dev.vitrail.encoders.preprocess.Qwen2VlProcessor;
import dev.vitrail.encoders.preprocess.RgbImage;
import dev.vitrail.runtime.golden.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token-count parity: the grid Vitrail plans (smart_resize bounds read from the model's {@code
 * preprocessor_config.json}) equals the goldens (transformers' processor and vLLM's {@code
 * _get_vision_info}), {@link Qwen2VlEncoderInfo}, and the grid the processor really produces.
 */
class ConsumerGridTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path tmp;

  static VlmSettings settings(long minPixels, long maxPixels, long maxTokens) {
    return new VlmSettings(null, EcDtype.BF16, 0, Duration.ZERO, minPixels, maxPixels, maxTokens);
  }

  /** A model directory: the tiny Qwen2.5-VL config plus a preprocessor_config.json. */
  private Path model(JsonNode c) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "model");
    Files.copy(
        Fixtures.root().resolve("models/qwen2_5_vl-tiny/config.json"), dir.resolve("config.json"));
    ObjectNode pre = MAPPER.createObjectNode();
    pre.put("min_pixels", c.get("min_pixels").asLong());
    pre.put("max_pixels", c.get("max_pixels").asLong());
    pre.put("patch_size", c.get("patch_size").asInt());
    pre.put("merge_size", c.get("merge_size").asInt());
    pre.put("temporal_patch_size", c.get("temporal_patch_size").asInt());
    Files.writeString(dir.resolve("preprocessor_config.json"), pre.toString());
    return dir;
  }

  @Test
  void equalsTheGoldensWithBoundsFromPreprocessorConfig() throws IOException {
    int checked = 0;
    for (JsonNode c : Fixtures.json("functions/encoder_info.json").get("qwen2_vl")) {
      if (c.get("num_frames").asInt() != 1) {
        continue;
      }
      ConsumerGrid grid =
          ConsumerGrid.of(VlmProcessors.forModel(model(c), settings(0, 0, 0)).settings(), 0);
      int w = c.get("width").asInt();
      int h = c.get("height").asInt();
      if (c.has("expected_error")) {
        assertThrows(EcLimitException.class, () -> grid.plan(w, h), c.toString());
        continue;
      }
      ConsumerGrid.Plan plan = grid.plan(w, h);
      assertArrayEquals(
          MAPPER.convertValue(c.get("grid_thw"), int[].class), plan.gridThw(), c.toString());
      assertEquals(c.get("num_tokens").asLong(), plan.tokens(), c.toString());
      assertEquals(c.get("resized_height").asInt(), plan.resizedHeight(), c.toString());
      assertEquals(c.get("resized_width").asInt(), plan.resizedWidth(), c.toString());
      checked++;
    }
    assertTrue(checked >= 15, "golden cases checked: " + checked);
  }

  @Test
  void consumerOverridesWinOverThePreprocessorFile() throws IOException {
    JsonNode small = null;
    for (JsonNode c : Fixtures.json("functions/encoder_info.json").get("qwen2_vl")) {
      if (c.get("max_pixels").asLong() < 100_000 && c.get("num_frames").asInt() == 1) {
        small = c;
      }
    }
    ObjectNode wide = ((ObjectNode) small.deepCopy()).put("max_pixels", 12_845_056L);
    Qwen2VlProcessor p =
        VlmProcessors.forModel(model(wide), settings(0, small.get("max_pixels").asLong(), 0));
    ConsumerGrid.Plan plan =
        ConsumerGrid.of(p.settings(), 0)
            .plan(small.get("width").asInt(), small.get("height").asInt());
    assertArrayEquals(MAPPER.convertValue(small.get("grid_thw"), int[].class), plan.gridThw());
  }

  @Test
  void aSweepOfSizesAgreesWithTheInfoAndTheRealProcessor() throws IOException {
    Random rnd = new Random(20261206);
    long[][] bounds = {{3136, 1_003_520}, {3136, 12_845_056}, {3136, 12_544}, {200_704, 1_003_520}};
    for (long[] b : bounds) {
      ObjectNode c = MAPPER.createObjectNode();
      c.put("min_pixels", b[0]).put("max_pixels", b[1]);
      c.put("patch_size", 14).put("merge_size", 2).put("temporal_patch_size", 2);
      Qwen2VlProcessor p = VlmProcessors.forModel(model(c), settings(0, 0, 0));
      ConsumerGrid grid = ConsumerGrid.of(p.settings(), 0);
      Qwen2VlEncoderInfo info = new Qwen2VlEncoderInfo(14, 2, 2, b[0], b[1]);
      for (int i = 0; i < 400; i++) {
        int w = 1 + rnd.nextInt(i % 4 == 0 ? 6000 : 400);
        int h = Math.max(1, Math.min(6000, (int) (w * Math.exp(rnd.nextGaussian() * 1.5))));
        if ((double) Math.max(w, h) / Math.min(w, h) > 200) {
          assertThrows(EcLimitException.class, () -> grid.plan(w, h));
          continue;
        }
        ConsumerGrid.Plan plan = grid.plan(w, h);
        Qwen2VlEncoderInfo.VisionInfo v = info.visionInfo(w, h, 1);
        assertArrayEquals(
            new int[] {(int) v.gridT(), (int) v.gridH(), (int) v.gridW()}, plan.gridThw());
        assertEquals(info.numImageTokens(w, h), plan.tokens());
        assertEquals(0, plan.resizedHeight() % 28 + plan.resizedWidth() % 28);
        if (i % 20 == 0 && (long) w * h < 400_000) {
          var px = p.process(new RgbImage(w, h, new byte[w * h * 3]));
          assertArrayEquals(plan.gridThw(), px.gridThw(), w + "x" + h);
          assertEquals(plan.tokens() * 4, px.shape()[0]);
        }
      }
    }
  }

  @Test
  void aGridOverTheConsumersBudgetIsRefusedWithItsNumbers() {
    ConsumerGrid grid =
        ConsumerGrid.of(
            new Qwen2VlProcessor(
                    dev.vitrail.encoders.preprocess.Qwen2VlSettings.defaults(14, 2, 2),
                    dev.vitrail.encoders.preprocess.ImageDecoder.servingDefaults())
                .settings(),
            100);
    assertEquals(64, grid.plan(224, 224).tokens());
    EcLimitException e = assertThrows(EcLimitException.class, () -> grid.plan(640, 480));
    assertTrue(e.getMessage().contains("391 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("limit of 100"), e.getMessage());
  }
}
