package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.vitrail.encoders.api.PixelInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qwen3-VL checkpoints get Qwen2-VL's processor with Qwen3-VL's published settings. */
class Qwen3VlProcessorTest {
  @TempDir Path dir;

  @Test
  void publishedDefaultsGivePatch16RowsInMergeBlocks() throws IOException {
    Files.writeString(
        dir.resolve("config.json"),
        "{\"model_type\": \"qwen3_vl\", \"vision_config\": {\"patch_size\": 16}}");
    ImageProcessor p = ImageProcessors.forModel(dir);
    Qwen2VlSettings s = assertInstanceOf(Qwen2VlProcessor.class, p).settings();
    assertEquals(65_536, s.minPixels());
    assertEquals(16_777_216, s.maxPixels());
    assertArrayEquals(new double[] {0.5, 0.5, 0.5}, s.normalization().mean());
    // 224 x 224 is below min_pixels: smart_resize (factor 32) enlarges it to 256 x 256.
    PixelInput out = p.process(TestImages.encode(TestImages.pattern(224, 224), "png"));
    assertArrayEquals(new int[] {1, 16, 16}, out.gridThw());
    assertArrayEquals(new int[] {256, 3 * 2 * 16 * 16}, out.shape());
  }
}
