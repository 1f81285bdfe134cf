package dev.vitrail.encoders.tower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.weights.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/** The FeatureEncoder of each CLIP/SigLIP fixture against the fixture's outputs, per image. */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class FeatureEncoderTest {
  @TestFactory
  Stream<DynamicTest> encodesFixtureImages() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Fixtures.file("models"))) {
      for (Path dir : dirs.sorted().toList()) {
        VisionConfig c = fixedSizeConfig(dir);
        if (c != null && Files.isRegularFile(dir.resolve("io.safetensors"))) {
          tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir, c)));
        }
      }
    }
    assertTrue(tests.size() >= 2, "expected CLIP and SigLIP fixtures");
    return tests.stream();
  }

  private static VisionConfig fixedSizeConfig(Path dir) {
    try {
      VisionConfig c = HfConfigs.read(dir);
      return c instanceof ClipVisionConfig || c instanceof SiglipVisionConfig ? c : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void check(Path dir, VisionConfig config) {
    try (Checkpoint io = Checkpoint.open(dir.resolve("io.safetensors"));
        FeatureEncoder encoder = FeatureEncoders.open(dir, EncoderOptions.cpu());
        PointerScope scope = new PointerScope()) {
      assertEquals(config.family(), encoder.family());
      List<PixelInput> images = images(io.view("pixel_values"));
      int layers = config.numHiddenLayers();
      // vLLM's default: post-layernorm on the whole last layer
      String normed =
          config instanceof ClipVisionConfig
              ? "last_hidden_state_post_layernorm"
              : "last_hidden_state";
      if (io.keys().contains(normed)) {
        expect(io, normed, encoder.encode(images, FeatureSpec.defaults()));
      }
      if (io.keys().contains("pooler_output")) {
        expect(
            io,
            "pooler_output",
            encoder.encode(images, new FeatureSpec(List.of(), null, true, true)));
      }
      // the penultimate layer, as LLaVA selects it: no post-norm
      expect(
          io,
          "hidden_states." + (layers - 1),
          encoder.encode(images, new FeatureSpec(List.of(-2), null, true, false)));
      expect(
          io,
          "hidden_states.0",
          encoder.encode(images, new FeatureSpec(List.of(0), "full", false, false)));
      PixelInput wrong = new PixelInput(new float[12], new int[] {3, 2, 2}, null);
      assertThrows(
          IllegalArgumentException.class,
          () -> encoder.encode(List.of(wrong), FeatureSpec.defaults()));
    }
  }

  /** Splits a stored {@code [B, C, H, W]} pixel tensor into one heap input per image. */
  static List<PixelInput> images(Tensor pixels) {
    long[] s = pixels.shape();
    float[] all = HostTensors.download(pixels);
    int per = all.length / (int) s[0];
    List<PixelInput> out = new ArrayList<>();
    for (int b = 0; b < s[0]; b++) {
      out.add(
          new PixelInput(
              Arrays.copyOfRange(all, b * per, (b + 1) * per),
              new int[] {(int) s[1], (int) s[2], (int) s[3]},
              null));
    }
    return out;
  }

  private static void expect(Checkpoint io, String key, List<FeatureOutput> got) {
    Tensor want = io.view(key);
    long[] s = want.shape();
    float[] all = HostTensors.download(want);
    assertEquals(s[0], got.size(), key);
    int per = all.length / (int) s[0];
    for (int b = 0; b < got.size(); b++) {
      long[] item = Arrays.stream(got.get(b).shape()).asLongStream().toArray();
      assertArrayEquals(Arrays.copyOfRange(s, 1, s.length), item, key + " shape");
      float[] v = got.get(b).values();
      for (int i = 0; i < per; i++) {
        assertEquals(all[b * per + i], v[i], 1e-4, key + "[" + b + "][" + i + "]");
      }
    }
  }
}
