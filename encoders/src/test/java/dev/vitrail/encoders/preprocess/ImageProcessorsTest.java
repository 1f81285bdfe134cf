package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.InvalidConfigException;
import dev.vitrail.encoders.api.PixelInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory reads config.json for the family and preprocessor_config.json for the settings. */
class ImageProcessorsTest {
  @TempDir Path dir;

  private ImageProcessor model(String config, String preprocessor) throws IOException {
    Files.writeString(dir.resolve("config.json"), config);
    if (preprocessor != null) {
      Files.writeString(dir.resolve("preprocessor_config.json"), preprocessor);
    }
    return ImageProcessors.forModel(dir);
  }

  @Test
  void clipDefaultsFollowTheTowerImageSize() throws IOException {
    ImageProcessor p = model("{\"model_type\": \"clip_vision_model\", \"image_size\": 336}", null);
    ClipSettings s = assertInstanceOf(ClipProcessor.class, p).settings();
    assertEquals(336, s.shortestEdge());
    assertEquals(336, s.cropHeight());
    assertEquals(RgbConversion.COMPOSITE_ON_WHITE, p.decoder().conversion());
  }

  @Test
  void clipReadsLegacyIntSizesAndResample() throws IOException {
    ImageProcessor p =
        model(
            "{\"model_type\": \"clip_vision_model\"}",
            "{\"size\": 256, \"crop_size\": 240, \"resample\": 2, \"image_mean\": [0.5, 0.5, 0.5]}");
    ClipSettings s = ((ClipProcessor) p).settings();
    assertEquals(256, s.shortestEdge());
    assertEquals(240, s.cropWidth());
    assertEquals(ResampleFilter.BILINEAR, s.filter());
    assertArrayEquals(new double[] {0.5, 0.5, 0.5}, s.normalization().mean());
    PixelInput out = p.process(TestImages.encode(TestImages.pattern(300, 260), "png"));
    assertArrayEquals(new int[] {3, 240, 240}, out.shape());
  }

  @Test
  void siglipAndPixtralSizes() throws IOException {
    ImageProcessor s =
        model(
            "{\"model_type\": \"siglip_vision_model\"}",
            "{\"size\": {\"height\": 384, \"width\": 384}}");
    assertEquals(384, ((SiglipProcessor) s).settings().height());
    Files.delete(dir.resolve("preprocessor_config.json"));
    ImageProcessor p =
        model(
            "{\"model_type\": \"pixtral\", \"image_size\": 1024, \"patch_size\": 16}",
            "{\"size\": {\"longest_edge\": 512}, \"patch_size\": {\"height\": 16, \"width\": 16}}");
    assertArrayEquals(new int[] {384, 512}, ((PixtralProcessor) p).resizedSize(768, 1024));
  }

  @Test
  void qwenPixelBoundsAndVideoPairs() throws IOException {
    ImageProcessor p =
        model(
            "{\"model_type\": \"qwen2_5_vl\", \"vision_config\": {\"patch_size\": 14}}",
            "{\"min_pixels\": 3136, \"max_pixels\": 12544, \"merge_size\": 2, \"temporal_patch_size\": 2}");
    Qwen2VlSettings s = ((Qwen2VlProcessor) p).settings();
    assertEquals(12544, s.maxPixels());
    assertEquals(Qwen2VlSettings.DEFAULT_VIDEO_MAX_PIXELS, s.videoMaxPixels());
    PixelInput img =
        p.process(RgbConversion.DROP_ALPHA.convert(new DecodedImage(56, 56, 1, new byte[56 * 56])));
    assertArrayEquals(new int[] {1, 4, 4}, img.gridThw());
    RgbImage frame =
        RgbConversion.DROP_ALPHA.convert(new DecodedImage(56, 56, 1, new byte[56 * 56]));
    List<PixelInput> clip = p.processFrames(List.of(frame, frame, frame));
    assertEquals(1, clip.size());
    assertEquals(2, clip.get(0).gridThw()[0]);
  }

  @Test
  void qwenVideoBoundsComeFromTheVideoPreprocessorConfig() throws IOException {
    Files.writeString(
        dir.resolve("video_preprocessor_config.json"),
        "{\"size\": {\"shortest_edge\": 6272, \"longest_edge\": 25088}}");
    ImageProcessor p = model("{\"model_type\": \"qwen2_5_vl\", \"vision_config\": {}}", null);
    Qwen2VlSettings s = ((Qwen2VlProcessor) p).settings();
    assertEquals(6272, s.videoMinPixels());
    assertEquals(25088, s.videoMaxPixels());
    assertEquals(Qwen2VlSettings.DEFAULT_MAX_PIXELS, s.maxPixels());
  }

  @Test
  void wrongFieldTypesNameTheField() throws IOException {
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> model("{\"model_type\": \"siglip_vision_model\"}", "{\"image_mean\": \"gray\"}"));
    assertTrue(e.getMessage().contains("image_mean"), e.getMessage());
  }
}
