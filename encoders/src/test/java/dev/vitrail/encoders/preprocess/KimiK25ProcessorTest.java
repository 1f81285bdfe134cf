package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.PixelInput;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kimi K2.5 preprocessing: sizes from transformers 5.17's {@code navit_resize}, then (as vLLM's
 * re-statement of the checkpoint's media processor) Pillow 12.3 bicubic resize, zero padding,
 * {@code (u8 / 255 - 0.5) · 2} in float32 and (channel, row, column) patch rows; SHA-256 of those
 * rows (float32 LE) per case, computed with that Python pipeline.
 */
class KimiK25ProcessorTest {
  @ParameterizedTest
  @CsvSource({
    "rgb_640x480.png, 1024, 512, 28, 38, b0b9ed3a883630d910e77e9f09694da4483de1bc8aecd904e97fa766642a43cb",
    "rgb_17x23.png, 16384, 512, 2, 2, d02b9ee2d71719dca457a3dec125fab06f5f34b14648efd09ea7f665ce68392e",
    "rgb_224x224.png, 16384, 512, 16, 16, 6a221c69c148ed5b8d75faa80e0dbf75bdbf17f7dfb2edcefa76207261290de4",
    "gray_45x31.png, 16384, 2, 2, 2, 86a899aef50248d17f43d1d2aca8aba463312edc70f5c4e878a0d83ad9ced8ef"
  })
  void patchRowsMatchTheReferencePipeline(
      String image, long limit, int side, int gh, int gw, String sha) throws IOException {
    JsonNode images = Fixtures.json("summary.json").get("images");
    String variant = image.startsWith("gray") ? "gray_to_rgb" : "rgb";
    RgbImage rgb = GoldenCases.conversion(variant).convert(GoldenCases.decoded(images, image));
    double[] half = {0.5, 0.5, 0.5};
    KimiK25Processor p =
        new KimiK25Processor(
            new KimiK25Settings(
                14, 2, limit, side, new Normalization(true, 1 / 255.0, true, half, half)),
            ImageDecoder.servingDefaults());
    PixelInput out = p.process(rgb);
    assertArrayEquals(new int[] {1, gh, gw}, out.gridThw());
    assertArrayEquals(new int[] {gh * gw, 3 * 14 * 14}, out.shape());
    assertEquals(sha, Digests.sha256F32(out.values()), image);
  }
}
