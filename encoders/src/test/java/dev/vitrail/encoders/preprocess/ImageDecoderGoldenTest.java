package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fixture image decoded by {@link ImageDecoder}: lossless files give Pillow's samples
 * exactly; JPEGs are compared with the stored libjpeg-turbo decode within a loose bound (decoders
 * differ in their last bits), and the difference is printed.
 */
class ImageDecoderGoldenTest {
  /** Pillow modes whose own samples {@link DecodedImage} holds as they are. */
  private static final Set<String> OWN_MODES = Set.of("L", "LA", "RGB", "RGBA");

  /** Largest accepted per-sample difference from libjpeg-turbo, in uint8 levels. */
  private static final int JPEG_MAX_LEVELS = 8;

  /** Largest accepted mean absolute difference from libjpeg-turbo. */
  private static final double JPEG_MEAN_LEVELS = 1.0;

  @TestFactory
  Stream<DynamicTest> everyImage() throws IOException {
    JsonNode images = Fixtures.json("summary.json").get("images");
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : images.properties()) {
      tests.add(DynamicTest.dynamicTest(e.getKey(), () -> check(images, e.getKey(), e.getValue())));
    }
    return tests.stream();
  }

  private static void check(JsonNode images, String name, JsonNode info) throws IOException {
    byte[] file = Fixtures.bytes(info.get("file").textValue());
    assertEquals(info.get("file_sha256").textValue(), Digests.sha256(file), "fixture file");
    DecodedImage img =
        new ImageDecoder(ImageDecoder.PILLOW_MAX_PIXELS, RgbConversion.DROP_ALPHA).decode(file);
    int[] shape = GoldenCases.ints(info.get("decoded_shape"));
    assertEquals(shape[0], img.height());
    assertEquals(shape[1], img.width());
    if (!info.has("decoded_tensor")) {
      if (OWN_MODES.contains(info.get("mode").textValue())) {
        assertEquals(shape.length == 3 ? shape[2] : 1, img.channels());
        assertEquals(
            info.get("decoded_sha256_u8").textValue(),
            Digests.sha256(img.samples()),
            "decoded samples");
      }
      // every mode (palette and 16-bit ones too): the RGB images the processors start from
      for (Map.Entry<String, JsonNode> v : info.get("rgb_variants").properties()) {
        RgbImage rgb = GoldenCases.conversion(v.getKey()).convert(img);
        assertEquals(
            v.getValue().get("sha256_u8_hwc").textValue(),
            Digests.sha256(rgb.pixels()),
            v.getKey());
      }
      return;
    }
    byte[] ref = GoldenCases.decoded(images, name).samples();
    long sum = 0;
    int max = 0;
    int differing = 0;
    for (int i = 0; i < ref.length; i++) {
      int d = Math.abs((ref[i] & 0xff) - (img.samples()[i] & 0xff));
      sum += d;
      max = Math.max(max, d);
      differing += d != 0 ? 1 : 0;
    }
    double mean = (double) sum / ref.length;
    System.out.printf(
        "JPEG %s: Java ImageIO vs libjpeg-turbo: mean abs %.4f, max abs %d levels, %d of %d samples differ%n",
        name, mean, max, differing, ref.length);
    assertTrue(max <= JPEG_MAX_LEVELS, "max difference " + max);
    assertTrue(mean <= JPEG_MEAN_LEVELS, "mean difference " + mean);
  }
}
