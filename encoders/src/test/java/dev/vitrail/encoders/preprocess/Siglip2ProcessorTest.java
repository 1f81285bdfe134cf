package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.PixelInput;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SigLIP2 naflex preprocessing against transformers 5.17's {@code Siglip2ImageProcessorPil} (Pillow
 * 12.3): grid and the SHA-256 of the real patch rows (float32 LE), computed by calling the
 * processor on this folder's PNG images (converted to RGB) with the given max_num_patches.
 */
class Siglip2ProcessorTest {
  @ParameterizedTest
  @CsvSource({
    "rgb_640x480.png, 256, 14, 18, ff71e690f04eb001144e33d87ea9cc7fec6a63f89213fd870a699e3e5db84ae4",
    "rgb_17x23.png, 256, 18, 14, 76df66141ec6e4e0455a8f5873e55d9cee8ca388a7b08859bf3c0a9285e902ea",
    "gray_45x31.png, 64, 7, 9, 027fae1df7f412116eb4a7d11f7ebdbb87e71d8fdced82d0adc03ca80526613f",
    "rgb_224x224.png, 256, 16, 16, fd0cd2f820bf6c0184d4773b50a01edbda5961ebd7b03ca53a96974ebf1879e8"
  })
  void patchRowsMatchThePilProcessor(String image, int maxPatches, int gh, int gw, String sha)
      throws IOException {
    JsonNode images = Fixtures.json("summary.json").get("images");
    String variant = image.startsWith("gray") ? "gray_to_rgb" : "rgb";
    RgbImage rgb = GoldenCases.conversion(variant).convert(GoldenCases.decoded(images, image));
    Siglip2Processor p =
        new Siglip2Processor(
            new Siglip2Settings(
                16,
                maxPatches,
                ResampleFilter.BILINEAR,
                new Normalization(
                    true,
                    1 / 255.0,
                    true,
                    new double[] {0.5, 0.5, 0.5},
                    new double[] {0.5, 0.5, 0.5})),
            ImageDecoder.servingDefaults());
    PixelInput out = p.process(rgb);
    assertArrayEquals(new int[] {1, gh, gw}, out.gridThw());
    assertArrayEquals(new int[] {gh * gw, 16 * 16 * 3}, out.shape());
    assertEquals(sha, Digests.sha256F32(out.values()), image);
  }
}
