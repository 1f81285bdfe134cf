package dev.vitrail.encoders.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VisionEncoderInfoDispatchTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static VisionEncoderInfo of(String json) throws Exception {
    JsonNode root = MAPPER.readTree(json);
    return VisionEncoderInfo.fromConfig(root);
  }

  @Test
  void dispatchesOnModelType() throws Exception {
    assertInstanceOf(
        ClipEncoderInfo.class,
        of("{\"model_type\":\"clip\",\"vision_config\":{\"image_size\":336,\"patch_size\":14}}"));
    assertEquals(
        577,
        of("{\"model_type\":\"clip\",\"vision_config\":{\"image_size\":336,\"patch_size\":14}}")
            .numImageTokens(1, 1));
    assertEquals(
        729,
        of("{\"model_type\":\"siglip\",\"vision_config\":{\"image_size\":384,\"patch_size\":14}}")
            .numImageTokens(5, 5));
    VisionEncoderInfo pix =
        of("{\"model_type\":\"pixtral\",\"image_size\":1024,\"patch_size\":16}");
    assertEquals(16, pix.patchSize());
    VisionEncoderInfo qwen =
        of(
            "{\"model_type\":\"qwen2_5_vl\",\"vision_config\":{\"patch_size\":14,\"spatial_merge_size\":2,"
                + "\"temporal_patch_size\":2,\"hidden_size\":32,\"num_heads\":2}}");
    Qwen2VlEncoderInfo q = assertInstanceOf(Qwen2VlEncoderInfo.class, qwen);
    assertEquals(Qwen2VlEncoderInfo.QWEN25_MAX_PIXELS, q.maxPixels());
    assertEquals(64, qwen.numImageTokens(224, 224));
  }

  @Test
  void readsAModelDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("config.json"),
        "{\"model_type\":\"siglip_vision_model\",\"image_size\":224,\"patch_size\":16}");
    assertEquals(196, VisionEncoderInfo.fromConfigDir(dir).numImageTokens(10, 10));
    java.nio.file.Files.writeString(dir.resolve("config.json"), "{oops");
    assertThrows(RuntimeException.class, () -> VisionEncoderInfo.fromConfigDir(dir));
    assertThrows(
        java.io.UncheckedIOException.class,
        () -> VisionEncoderInfo.fromConfigDir(dir.resolve("missing")));
  }

  @Test
  void unknownModelTypeListsTheSupportedOnes() {
    RuntimeException e =
        assertThrows(RuntimeException.class, () -> of("{\"model_type\":\"bert\"}"));
    assertTrue(
        e.getMessage().contains("bert") && e.getMessage().contains("siglip"), e.getMessage());
  }
}
