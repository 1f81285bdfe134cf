package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.PixelInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case of {@code preprocess/pixtral_summary.json}, single images and padded batches. */
class PixtralGoldenTest {

  @TestFactory
  Stream<DynamicTest> everyCase() throws IOException {
    JsonNode pix = Fixtures.json("pixtral_summary.json");
    JsonNode images = Fixtures.json("summary.json").get("images");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : pix.get("cases")) {
      String label =
          c.get("processor").textValue()
              + " "
              + c.get("image").textValue()
              + " "
              + c.get("variant").textValue();
      tests.add(DynamicTest.dynamicTest(label, () -> check(pix, images, c)));
    }
    for (JsonNode b : pix.get("batch_cases")) {
      tests.add(
          DynamicTest.dynamicTest(
              "batch " + b.get("processor").textValue(), () -> checkBatch(pix, images, b)));
    }
    return tests.stream();
  }

  private static RgbImage rgb(JsonNode images, String image, String variant) throws IOException {
    return GoldenCases.conversion(variant).convert(GoldenCases.decoded(images, image));
  }

  private static void check(JsonNode pix, JsonNode images, JsonNode c) throws IOException {
    PixtralProcessor proc =
        (PixtralProcessor)
            GoldenCases.processor(pix.get("processors").get(c.get("processor").textValue()));
    RgbImage rgb = rgb(images, c.get("image").textValue(), c.get("variant").textValue());
    assertArrayEquals(GoldenCases.ints(c.get("input_hw")), new int[] {rgb.height(), rgb.width()});
    assertArrayEquals(
        GoldenCases.ints(c.get("resized_hw")),
        proc.resizedSize(rgb.height(), rgb.width()),
        "resized_hw");
    RgbImage ready = proc.prepare(rgb);
    byte[] u8 = ready.toChw();
    GoldenCases.assertU8(c, u8);
    JsonNode stored = c.path("stored_tensors");
    PixelInput out = proc.process(rgb);
    assertArrayEquals(GoldenCases.ints(c.get("pixel_values").get("shape")), out.shape());
    if (stored.has("pixel_values")) {
      TestSafetensors st =
          TestSafetensors.open(
              Fixtures.preprocess().resolve(stored.get("pixel_values").get("file").textValue()));
      assertArrayEquals(
          st.floats(stored.get("pixel_values").get("name").textValue()),
          out.values(),
          "stored pixel_values");
    }
    assertEquals(
        c.get("pixel_values").get("sha256_f32le").textValue(),
        Digests.sha256F32(out.values()),
        "pixel_values digest");
    int[] grid = GoldenCases.ints(c.get("patch_grid_hw"));
    assertEquals(grid[0] * proc.settings().patchHeight(), out.shape()[1]);
    assertEquals(grid[1] * proc.settings().patchWidth(), out.shape()[2]);
  }

  private static void checkBatch(JsonNode pix, JsonNode images, JsonNode b) throws IOException {
    ImageProcessor proc =
        GoldenCases.processor(pix.get("processors").get(b.get("processor").textValue()));
    List<PixelInput> singles = new ArrayList<>();
    for (JsonNode item : b.get("images")) {
      singles.add(
          proc.process(
              rgb(images, item.get("image").textValue(), item.get("variant").textValue())));
    }
    PixtralBatch batch = PixtralBatch.pad(singles);
    assertArrayEquals(GoldenCases.ints(b.get("pixel_values_shape")), batch.pixels().shape());
    for (int i = 0; i < singles.size(); i++) {
      assertArrayEquals(GoldenCases.ints(b.get("image_sizes").get(i)), batch.imageSizes()[i]);
    }
    assertEquals(
        b.get("pixel_values_sha256_f32le").textValue(), Digests.sha256F32(batch.pixels().values()));
  }
}
