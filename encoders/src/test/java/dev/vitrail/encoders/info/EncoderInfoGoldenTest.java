package dev.vitrail.encoders.info;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.TensorJson;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code functions/encoder_info.json}; the CLIP, SigLIP and Pixtral infos are built
 * through {@link VisionEncoderInfo#fromConfig} from a config.json made of the recorded settings.
 */
class EncoderInfoGoldenTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Stream<Named<JsonNode>> section(String key) {
    JsonNode arr = Fixtures.json("functions/encoder_info.json").get(key);
    return StreamSupport.stream(arr.spliterator(), false)
        .map(c -> Named.of(key + " " + (c.has("vision_config") ? c.get("vision_config") : c), c));
  }

  static Stream<Named<JsonNode>> clip() {
    return section("clip");
  }

  static Stream<Named<JsonNode>> siglip() {
    return section("siglip");
  }

  static Stream<Named<JsonNode>> pixtral() {
    return section("pixtral");
  }

  static Stream<Named<JsonNode>> qwen2Vl() {
    return section("qwen2_vl");
  }

  private static VisionEncoderInfo fromVisionConfig(String modelType, JsonNode vision) {
    ObjectNode root = vision.deepCopy();
    root.put("model_type", modelType);
    return VisionEncoderInfo.fromConfig(root);
  }

  private static void checkCommon(JsonNode c, VisionEncoderInfo info, int imageSize) {
    assertEquals(c.get("get_image_size").asInt(), imageSize);
    assertEquals(c.get("get_patch_size").asInt(), info.patchSize());
  }

  @ParameterizedTest
  @MethodSource("clip")
  void clipMatches(JsonNode c) {
    ClipEncoderInfo info =
        (ClipEncoderInfo) fromVisionConfig("clip_vision_model", c.get("vision_config"));
    checkCommon(c, info, info.imageSize());
    checkGridAndTokens(c, info::patchGridLength, info);
  }

  @ParameterizedTest
  @MethodSource("siglip")
  void siglipMatches(JsonNode c) {
    SiglipEncoderInfo info =
        (SiglipEncoderInfo) fromVisionConfig("siglip_vision_model", c.get("vision_config"));
    checkCommon(c, info, info.imageSize());
    checkGridAndTokens(c, info::patchGridLength, info);
  }

  private static void checkGridAndTokens(
      JsonNode c, java.util.function.IntSupplier grid, VisionEncoderInfo info) {
    JsonNode g = c.get("get_patch_grid_length");
    if (g.isObject()) {
      assertThrows(IllegalArgumentException.class, grid::getAsInt);
    } else {
      assertEquals(g.asInt(), grid.getAsInt());
    }
    for (JsonNode t : c.get("num_image_tokens_cases")) {
      int w = t.get("image_width").asInt();
      int h = t.get("image_height").asInt();
      if (t.has("expected_error")) {
        assertThrows(IllegalArgumentException.class, () -> info.numImageTokens(w, h));
      } else {
        assertEquals(t.get("num_image_tokens").asLong(), info.numImageTokens(w, h), w + "x" + h);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("pixtral")
  void pixtralMatches(JsonNode c) {
    ObjectNode vision = c.get("vision_config").deepCopy();
    vision.put("model_type", "pixtral");
    ObjectNode root = MAPPER.createObjectNode();
    root.put("model_type", "llava");
    root.set("vision_config", vision);
    if (!c.get("spatial_merge_size").isNull()) {
      root.set("spatial_merge_size", c.get("spatial_merge_size"));
    }
    PixtralEncoderInfo info = (PixtralEncoderInfo) VisionEncoderInfo.fromConfig(root);
    checkCommon(c, info, info.imageSize());
    assertEquals(c.get("get_patch_grid_length").asInt(), info.patchGridLength());
    for (JsonNode t : c.get("num_image_tokens_cases")) {
      int w = t.get("image_width").asInt();
      int h = t.get("image_height").asInt();
      PixtralEncoderInfo.Grid grid = info.patchGrid(w, h);
      String what = w + "x" + h;
      assertEquals(t.get("ncols").asLong(), grid.ncols(), what);
      assertEquals(t.get("nrows").asLong(), grid.nrows(), what);
      assertEquals(t.get("num_image_tokens").asLong(), info.numImageTokens(w, h), what);
      assertEquals(
          t.get("num_placeholder_tokens_with_breaks").asLong(),
          grid.numPlaceholderTokensWithBreaks(),
          what);
    }
  }

  @ParameterizedTest
  @MethodSource("qwen2Vl")
  void qwen2VlMatches(JsonNode c) {
    Qwen2VlEncoderInfo info =
        new Qwen2VlEncoderInfo(
            c.get("patch_size").asInt(),
            c.get("merge_size").asInt(),
            c.get("temporal_patch_size").asInt(),
            c.get("min_pixels").asLong(),
            c.get("max_pixels").asLong());
    assertEquals(c.get("factor").asInt(), info.patchSize());
    int w = c.get("width").asInt();
    int h = c.get("height").asInt();
    int frames = c.get("num_frames").asInt();
    if (c.has("expected_error")) {
      assertThrows(IllegalArgumentException.class, () -> info.visionInfo(w, h, frames));
      return;
    }
    Qwen2VlEncoderInfo.VisionInfo v = info.visionInfo(w, h, frames);
    assertEquals(c.get("resized_height").asInt(), v.resizedHeight());
    assertEquals(c.get("resized_width").asInt(), v.resizedWidth());
    assertArrayEquals(
        TensorJson.longs(c.get("grid_thw")), new long[] {v.gridT(), v.gridH(), v.gridW()});
    assertEquals(c.get("num_patches").asLong(), v.numPatches());
    assertEquals(c.get("num_tokens").asLong(), info.numTokens(w, h, frames));
    if (frames == 1) {
      assertEquals(c.get("num_tokens").asLong(), info.numImageTokens(w, h));
    }
  }
}
