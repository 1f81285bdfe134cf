package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.PixelInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every case of {@code preprocess/summary.json}: bit-exact uint8 and float32 digests. */
class PreprocessGoldenTest {

  @TestFactory
  Stream<DynamicTest> everyCase() throws IOException {
    JsonNode summary = Fixtures.json("summary.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : summary.get("cases")) {
      String label =
          c.get("processor").textValue()
              + " "
              + c.get("image").textValue()
              + " "
              + c.get("variant").textValue();
      tests.add(DynamicTest.dynamicTest(label, () -> check(summary, c)));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> lookupTables() throws IOException {
    JsonNode summary = Fixtures.json("summary.json");
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : summary.get("lut").get("tables").properties()) {
      tests.add(
          DynamicTest.dynamicTest(
              "lut " + e.getKey(),
              () -> {
                JsonNode p = summary.get("processors").get(e.getKey());
                float[][] lut = normalizationOf(p).table();
                for (int ch = 0; ch < 3; ch++) {
                  for (int u = 0; u < 256; u++) {
                    assertEquals(
                        (float) e.getValue().get(ch).get(u).doubleValue(),
                        lut[ch][u],
                        "channel " + ch + " u " + u);
                  }
                }
              }));
    }
    return tests.stream();
  }

  static Normalization normalizationOf(JsonNode p) {
    return Normalization.of(
        GoldenCases.doubles(p.get("image_mean")), GoldenCases.doubles(p.get("image_std")));
  }

  private static void check(JsonNode summary, JsonNode c) throws IOException {
    String image = c.get("image").textValue();
    String variant = c.get("variant").textValue();
    DecodedImage decoded = GoldenCases.decoded(summary.get("images"), image);
    RgbImage rgb = GoldenCases.conversion(variant).convert(decoded);
    JsonNode variants = summary.get("images").get(image).get("rgb_variants");
    assertEquals(
        variants.get(variant).get("sha256_u8_hwc").textValue(),
        Digests.sha256(rgb.pixels()),
        "RGB variant");

    ImageProcessor proc =
        GoldenCases.processor(summary.get("processors").get(c.get("processor").textValue()));
    RgbImage ready = proc.prepare(rgb);
    assertArrayEquals(
        GoldenCases.ints(c.get("u8_shape")),
        new int[] {3, ready.height(), ready.width()},
        "u8 shape");
    byte[] u8 = ready.toChw();
    GoldenCases.assertU8(c, u8);
    JsonNode stored = c.path("stored_tensors");

    PixelInput out = proc.process(rgb);
    JsonNode pv = c.get("pixel_values");
    assertArrayEquals(GoldenCases.ints(pv.get("shape")), out.shape(), "pixel_values shape");
    if (stored.has("pixel_values")) {
      TestSafetensors st =
          TestSafetensors.open(
              Fixtures.preprocess().resolve(stored.get("pixel_values").get("file").textValue()));
      assertArrayEquals(
          st.floats(stored.get("pixel_values").get("name").textValue()),
          out.values(),
          "stored pixel_values");
    }
    for (int i = 0; i < pv.get("first_values").size(); i++) {
      assertEquals(
          (float) pv.get("first_values").get(i).doubleValue(), out.values()[i], "value " + i);
    }
    assertEquals(
        pv.get("sha256_f32le").textValue(), Digests.sha256F32(out.values()), "pixel_values digest");
    if (c.has("grid_thw")) {
      assertArrayEquals(GoldenCases.ints(c.get("grid_thw")), out.gridThw(), "grid_thw");
    } else {
      assertNull(out.gridThw());
    }
  }
}
