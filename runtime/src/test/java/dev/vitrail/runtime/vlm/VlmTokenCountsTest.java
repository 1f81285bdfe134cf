package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.encoders.info.KimiK25EncoderInfo;
import dev.vitrail.encoders.preprocess.PixtralProcessor;
import dev.vitrail.runtime.golden.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tier's grid and row count for Pixtral (LLaVA) and Qwen3-VL equal what the consumers' own
 * transformers 5.17 processors put in the prompt ({@code golden/vlm/token_counts.json}, made by
 * {@code bench/ec_token_goldens.py}): {@code [IMG]} count (= {@code ec_cache} rows), breaks and end
 * token, resized size; Qwen3-VL {@code image_grid_thw} and {@code <|image_pad|>} count; Kimi K2.5
 * {@code navit_resize} grid and {@code <|media_pad|>} count. Images the processor refuses are
 * refused.
 */
class VlmTokenCountsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path tmp;

  private static VlmSettings settings() {
    return ConsumerGridTest.settings(0, 0, 0);
  }

  /** pixtral-tiny with the vision image_size / patch_size of one golden set. */
  private Path pixtralModel(JsonNode set) throws IOException {
    Path src = Fixtures.root().resolve("models/pixtral-tiny");
    Path dir = Files.createTempDirectory(tmp, "pixtral");
    ObjectNode config = (ObjectNode) MAPPER.readTree(src.resolve("config.json").toFile());
    ObjectNode vision = (ObjectNode) config.get("vision_config");
    vision.put("image_size", set.get("longest_edge").asInt());
    vision.put("patch_size", set.get("patch_size").asInt());
    Files.writeString(dir.resolve("config.json"), config.toString());
    Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
    return dir;
  }

  @Test
  void pixtralRowsEqualTheImgTokensOfPixtralProcessor() throws IOException {
    int checked = 0;
    for (JsonNode set : Fixtures.json("vlm/token_counts.json").get("pixtral")) {
      Path dir = pixtralModel(set);
      PixtralVlm f = PixtralVlm.create(dir, (PixtralVisionConfig) HfConfigs.read(dir), settings());
      assertEquals(48, f.hidden(), "text_config.hidden_size of pixtral-tiny");
      for (JsonNode c : set.get("cases")) {
        int w = c.get("width").asInt();
        int h = c.get("height").asInt();
        String name = w + "x" + h + " at " + set.get("longest_edge");
        if (c.has("error")) {
          assertThrows(EcLimitException.class, () -> f.plan(w, h), name);
          checked++;
          continue;
        }
        ConsumerGrid.Plan plan = f.plan(w, h);
        int nrows = plan.gridThw()[1];
        int ncols = plan.gridThw()[2];
        assertEquals(c.get("img_tokens").asLong(), plan.tokens(), name);
        assertEquals(c.get("break_tokens").asInt(), nrows - 1, name);
        assertEquals(1, c.get("end_tokens").asInt(), name);
        assertEquals(c.get("prompt_tokens").asLong(), (long) (ncols + 1) * nrows, name);
        assertArrayEquals(
            new int[] {c.get("resized").get(0).asInt(), c.get("resized").get(1).asInt()},
            ((PixtralProcessor) f.processor()).resizedSize(h, w),
            name);
        assertEquals(c.get("resized").get(0).asInt(), plan.resizedHeight(), name);
        assertEquals(c.get("resized").get(1).asInt(), plan.resizedWidth(), name);
        checked++;
      }
    }
    assertEquals(120, checked);
  }

  @Test
  void qwen3VlGridsEqualItsProcessors() throws IOException {
    int checked = 0;
    for (JsonNode set : Fixtures.json("vlm/token_counts.json").get("qwen3_vl")) {
      Path dir = Files.createTempDirectory(tmp, "qwen3");
      Files.copy(
          Fixtures.root().resolve("models/qwen3_vl-tiny/config.json"), dir.resolve("config.json"));
      ObjectNode pre = MAPPER.createObjectNode();
      pre.putObject("size")
          .put("shortest_edge", set.get("min_pixels").asLong())
          .put("longest_edge", set.get("max_pixels").asLong());
      pre.put("patch_size", set.get("patch_size").asInt());
      pre.put("merge_size", set.get("merge_size").asInt());
      Files.writeString(dir.resolve("preprocessor_config.json"), pre.toString());
      QwenVlm f = QwenVlm.create(dir, settings(), 1);
      for (JsonNode c : set.get("cases")) {
        int w = c.get("width").asInt();
        int h = c.get("height").asInt();
        ConsumerGrid.Plan plan = f.plan(w, h);
        int[] want = MAPPER.convertValue(c.get("grid_thw"), int[].class);
        assertArrayEquals(want, plan.gridThw(), w + "x" + h);
        assertEquals(c.get("image_pad_tokens").asLong(), plan.tokens(), w + "x" + h);
        checked++;
      }
    }
    assertEquals(100, checked);
  }

  @Test
  void kimiGridsEqualTheNavitResizeOfItsProcessor() throws IOException {
    int checked = 0;
    for (JsonNode set : Fixtures.json("vlm/token_counts.json").get("kimi_k25")) {
      KimiVlm f =
          new KimiVlm(
              null,
              new KimiK25EncoderInfo(
                  set.get("patch_size").asInt(),
                  set.get("merge_size").asInt(),
                  set.get("in_patch_limit").asLong(),
                  set.get("patch_limit_on_one_side").asInt()),
              0,
              "",
              1);
      for (JsonNode c : set.get("cases")) {
        int w = c.get("width").asInt();
        int h = c.get("height").asInt();
        ConsumerGrid.Plan plan = f.plan(w, h);
        int[] want = MAPPER.convertValue(c.get("grid_thw"), int[].class);
        assertArrayEquals(want, plan.gridThw(), w + "x" + h);
        assertEquals(c.get("media_pad_tokens").asLong(), plan.tokens(), w + "x" + h);
        assertEquals(c.get("resized").get(0).asInt(), plan.resizedHeight(), w + "x" + h);
        assertEquals(c.get("resized").get(1).asInt(), plan.resizedWidth(), w + "x" + h);
        checked++;
      }
    }
    assertEquals(120, checked);
  }
}
